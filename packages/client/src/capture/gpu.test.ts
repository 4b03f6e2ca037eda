import { execFile } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { parseNvidiaSmi, sampleGpus } from './gpu.js'

// Recorded from `nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total,power.draw
// --format=csv,noheader,nounits` on machines with two A100s and with a card that reports no power.
const TWO_A100 = '0, 87, 31245, 81920, 312.45\n1, 3, 4, 81920, 61.02\n'
const NO_POWER = '0, 12, 1024, 16384, [N/A]\r\n'
const NOT_SUPPORTED = '0, [Not Supported], 500, 4096, [Not Supported]\n'

describe('nvidia-smi output', () => {
  it('parses one sample per GPU, memory in GB', () => {
    const samples = parseNvidiaSmi(TWO_A100)
    expect(samples).toHaveLength(2)
    expect(samples[0]).toEqual({
      index: 0,
      utilization: 87,
      memoryUsedGB: (31245 * 1024 * 1024) / 1e9,
      memoryTotalGB: (81920 * 1024 * 1024) / 1e9,
      powerW: 312.45,
    })
    expect(samples[1]!.index).toBe(1)
  })

  it('turns values a card does not report into null', () => {
    expect(parseNvidiaSmi(NO_POWER)[0]).toMatchObject({ utilization: 12, powerW: null })
    expect(parseNvidiaSmi(NOT_SUPPORTED)[0]).toMatchObject({ utilization: null, powerW: null })
  })

  it('ignores lines that are not GPU rows', () => {
    expect(parseNvidiaSmi('')).toEqual([])
    expect(
      parseNvidiaSmi(
        'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.',
      ),
    ).toEqual([])
  })
})

describe('GPU sampling', () => {
  it('treats a missing nvidia-smi as "no GPU", not as an error', async () => {
    // A real attempt to start a program that does not exist (ENOENT), as on a machine
    // without NVIDIA's tools.
    const missing = () =>
      new Promise<string>((resolve, reject) =>
        execFile('nereid-test-no-such-nvidia-smi', [], (error, stdout) =>
          error ? reject(error) : resolve(stdout),
        ),
      )
    await expect(sampleGpus(missing)).resolves.toBeNull()
  })

  it('treats a driver failure the same way', async () => {
    await expect(sampleGpus(() => Promise.resolve('No devices were found\n'))).resolves.toBeNull()
  })
})
