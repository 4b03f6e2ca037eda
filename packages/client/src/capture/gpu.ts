import { execFile } from 'node:child_process'

/** The query the GPU sampler runs: one CSV line per GPU, without units. */
export const NVIDIA_SMI_ARGS = [
  '--query-gpu=index,utilization.gpu,memory.used,memory.total,power.draw',
  '--format=csv,noheader,nounits',
]

export interface GpuSample {
  index: number
  /** Percent, or null when the GPU does not report it. */
  utilization: number | null
  /** GB (10^9 bytes, as Neptune shows memory). */
  memoryUsedGB: number | null
  memoryTotalGB: number | null
  /** Watts. */
  powerW: number | null
}

/**
 * Parses `nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total,power.draw
 * --format=csv,noheader,nounits`. Fields a GPU cannot report come as "[N/A]" or
 * "[Not Supported]" and become null; lines that are not GPU rows are ignored.
 */
export function parseNvidiaSmi(output: string): GpuSample[] {
  const samples: GpuSample[] = []
  for (const line of output.split(/\r?\n/)) {
    const cells = line.split(',').map((cell) => cell.trim())
    if (cells.length < 5) continue
    const index = Number(cells[0])
    if (!Number.isInteger(index) || cells[0] === '') continue
    const number = (cell: string | undefined) => {
      const value = Number(cell)
      return cell === undefined || cell === '' || !Number.isFinite(value) ? null : value
    }
    const mib = (cell: string | undefined) => {
      const value = number(cell)
      return value === null ? null : (value * 1024 * 1024) / 1e9
    }
    samples.push({
      index,
      utilization: number(cells[1]),
      memoryUsedGB: mib(cells[2]),
      memoryTotalGB: mib(cells[3]),
      powerW: number(cells[4]),
    })
  }
  return samples
}

export type GpuQuery = () => Promise<string>

/** Runs nvidia-smi; rejects with code ENOENT when it is not installed. */
export const runNvidiaSmi: GpuQuery = () =>
  new Promise((resolve, reject) => {
    execFile('nvidia-smi', NVIDIA_SMI_ARGS, { timeout: 5000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    )
  })

/**
 * GPU samples, or null when there is no usable nvidia-smi (not installed, no driver, no GPU):
 * a machine without a GPU is normal, not an error.
 */
export async function sampleGpus(query: GpuQuery = runNvidiaSmi): Promise<GpuSample[] | null> {
  try {
    const samples = parseNvidiaSmi(await query())
    return samples.length > 0 ? samples : null
  } catch {
    return null
  }
}
