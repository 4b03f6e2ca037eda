import { cpus, freemem, totalmem } from 'node:os'
import { backgroundTimer, type ClientEnv, type Timer } from '../env.js'
import type { CaptureSink } from './capture-sink.js'
import { sampleGpus, type GpuQuery } from './gpu.js'

interface CpuTimes {
  idle: number
  total: number
}

function cpuTimes(): CpuTimes {
  let idle = 0
  let total = 0
  for (const cpu of cpus()) {
    idle += cpu.times.idle
    total += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq + cpu.times.idle
  }
  return { idle, total }
}

/**
 * Samples system CPU, memory and (through nvidia-smi) GPUs every `intervalMs` into float
 * series under the monitoring namespace. The first GPU query decides whether there is a GPU;
 * without one, GPU sampling stops quietly.
 */
export function startResourceMonitor(options: {
  sink: CaptureSink
  namespace: string
  env: ClientEnv
  intervalMs: number
  cpu: boolean
  memory: boolean
  gpu: boolean
  gpuQuery?: GpuQuery
}): { stop(): void } {
  const { sink, namespace, env } = options
  let previous = cpuTimes()
  let gpu = options.gpu
  let configuredGpus = false
  let timer: Timer | null = null
  let stopped = false
  const totalGB = totalmem() / 1e9
  if (options.cpu) sink.configureFloatSeries(`${namespace}/cpu`, { min: 0, max: 100, unit: '%' })
  if (options.memory)
    sink.configureFloatSeries(`${namespace}/memory`, { min: 0, max: totalGB, unit: 'GB' })

  const sample = async () => {
    const now = env.now()
    if (options.cpu) {
      const current = cpuTimes()
      const total = current.total - previous.total
      if (total > 0) {
        const busy = 100 * (1 - (current.idle - previous.idle) / total)
        sink.appendFloat(`${namespace}/cpu`, Math.max(0, Math.min(100, busy)), now)
      }
      previous = current
    }
    if (options.memory) sink.appendFloat(`${namespace}/memory`, (totalmem() - freemem()) / 1e9, now)
    if (gpu) {
      const samples = await sampleGpus(options.gpuQuery)
      if (stopped) return
      if (samples === null) {
        gpu = false
        return
      }
      for (const gpuSample of samples) {
        const base = `${namespace}/gpu_${gpuSample.index}`
        if (!configuredGpus) {
          sink.configureFloatSeries(base, { min: 0, max: 100, unit: '%' })
          if (gpuSample.memoryTotalGB !== null)
            sink.configureFloatSeries(`${base}_memory`, {
              min: 0,
              max: gpuSample.memoryTotalGB,
              unit: 'GB',
            })
          sink.configureFloatSeries(`${base}_power`, { min: 0, unit: 'W' })
        }
        if (gpuSample.utilization !== null) sink.appendFloat(base, gpuSample.utilization, now)
        if (gpuSample.memoryUsedGB !== null)
          sink.appendFloat(`${base}_memory`, gpuSample.memoryUsedGB, now)
        if (gpuSample.powerW !== null) sink.appendFloat(`${base}_power`, gpuSample.powerW, now)
      }
      configuredGpus = true
    }
  }

  const schedule = () => {
    timer = backgroundTimer(
      env,
      () => {
        sample()
          .catch(() => undefined)
          .finally(() => {
            if (!stopped) schedule()
          })
      },
      options.intervalMs,
    )
  }
  // Memory and GPU are known at once; CPU needs an interval to measure over.
  if (options.memory)
    sink.appendFloat(`${namespace}/memory`, (totalmem() - freemem()) / 1e9, env.now())
  schedule()
  return {
    stop() {
      stopped = true
      if (timer !== null) env.clearTimeout(timer)
    },
  }
}
