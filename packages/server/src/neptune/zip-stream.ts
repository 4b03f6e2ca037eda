import { Readable } from 'node:stream'
import { crc32 } from 'node:zlib'

export type ZipEntry =
  | { kind: 'directory'; name: string; mtime: number }
  | {
      kind: 'file'
      name: string
      mtime: number
      size: number
      open: () => Promise<AsyncIterable<Uint8Array>>
    }

const LOCAL_HEADER = 0x04034b50
const DATA_DESCRIPTOR = 0x08074b50
const CENTRAL_HEADER = 0x02014b50
const ZIP64_END = 0x06064b50
const ZIP64_LOCATOR = 0x07064b50
const END = 0x06054b50
/** Sizes and offsets live in the zip64 extra field, so archives of any size need one format. */
const IN_ZIP64 = 0xffffffff
const UTF8_NAMES = 0x0800
const SIZES_AFTER_DATA = 0x0008
const ZIP64_VERSION = 45

/**
 * A zip archive written while it streams: entries are stored (not compressed), each file's
 * bytes are read once, when the archive reaches it, and its CRC follows the data. Written by
 * hand rather than with a zip library because the Neptune client's file-set archives have an
 * entry named "/" for the root, which libraries refuse as an absolute path.
 */
export function zipStream(entries: ZipEntry[]): Readable {
  return Readable.from(write(entries), { objectMode: false })
}

async function* write(entries: ZipEntry[]): AsyncGenerator<Buffer> {
  const central: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8')
    const { time, date } = dosTime(entry.mtime)
    const isFile = entry.kind === 'file'
    const flags = UTF8_NAMES | (isFile ? SIZES_AFTER_DATA : 0)
    const header = Buffer.alloc(30 + 20)
    header.writeUInt32LE(LOCAL_HEADER, 0)
    header.writeUInt16LE(ZIP64_VERSION, 4)
    header.writeUInt16LE(flags, 6)
    header.writeUInt16LE(0, 8)
    header.writeUInt16LE(time, 10)
    header.writeUInt16LE(date, 12)
    header.writeUInt32LE(0, 14)
    header.writeUInt32LE(IN_ZIP64, 18)
    header.writeUInt32LE(IN_ZIP64, 22)
    header.writeUInt16LE(name.length, 26)
    header.writeUInt16LE(20, 28)
    header.writeUInt16LE(0x0001, 30)
    header.writeUInt16LE(16, 32)
    const size = isFile ? entry.size : 0
    header.writeBigUInt64LE(BigInt(size), 34)
    header.writeBigUInt64LE(BigInt(size), 42)
    const start = offset
    yield header.subarray(0, 30)
    yield name
    yield header.subarray(30)
    offset += header.length + name.length

    let crc = 0
    if (isFile) {
      let written = 0
      for await (const chunk of await entry.open()) {
        const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
        crc = crc32(bytes, crc)
        written += bytes.length
        yield bytes
      }
      if (written !== entry.size) {
        throw new Error(`"${entry.name}" has ${written} bytes, not the ${entry.size} recorded`)
      }
      const descriptor = Buffer.alloc(24)
      descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0)
      descriptor.writeUInt32LE(crc >>> 0, 4)
      descriptor.writeBigUInt64LE(BigInt(written), 8)
      descriptor.writeBigUInt64LE(BigInt(written), 16)
      yield descriptor
      offset += written + descriptor.length
    }

    const record = Buffer.alloc(46 + 28)
    record.writeUInt32LE(CENTRAL_HEADER, 0)
    record.writeUInt16LE((3 << 8) | ZIP64_VERSION, 4)
    record.writeUInt16LE(ZIP64_VERSION, 6)
    record.writeUInt16LE(flags, 8)
    record.writeUInt16LE(0, 10)
    record.writeUInt16LE(time, 12)
    record.writeUInt16LE(date, 14)
    record.writeUInt32LE(crc >>> 0, 16)
    record.writeUInt32LE(IN_ZIP64, 20)
    record.writeUInt32LE(IN_ZIP64, 24)
    record.writeUInt16LE(name.length, 28)
    record.writeUInt16LE(28, 30)
    record.writeUInt16LE(0, 32)
    record.writeUInt16LE(0, 34)
    record.writeUInt16LE(0, 36)
    // Unix mode in the high half; 0x10 marks a folder for DOS-minded readers.
    record.writeUInt32LE(isFile ? (0o100644 << 16) >>> 0 : ((0o40755 << 16) | 0x10) >>> 0, 38)
    record.writeUInt32LE(IN_ZIP64, 42)
    record.writeUInt16LE(0x0001, 46)
    record.writeUInt16LE(24, 48)
    record.writeBigUInt64LE(BigInt(size), 50)
    record.writeBigUInt64LE(BigInt(size), 58)
    record.writeBigUInt64LE(BigInt(start), 66)
    central.push(record.subarray(0, 46), name, record.subarray(46))
  }

  const directory = Buffer.concat(central)
  yield directory
  const end = Buffer.alloc(56 + 20 + 22)
  end.writeUInt32LE(ZIP64_END, 0)
  end.writeBigUInt64LE(44n, 4)
  end.writeUInt16LE((3 << 8) | ZIP64_VERSION, 12)
  end.writeUInt16LE(ZIP64_VERSION, 14)
  end.writeUInt32LE(0, 16)
  end.writeUInt32LE(0, 20)
  end.writeBigUInt64LE(BigInt(entries.length), 24)
  end.writeBigUInt64LE(BigInt(entries.length), 32)
  end.writeBigUInt64LE(BigInt(directory.length), 40)
  end.writeBigUInt64LE(BigInt(offset), 48)
  end.writeUInt32LE(ZIP64_LOCATOR, 56)
  end.writeUInt32LE(0, 60)
  end.writeBigUInt64LE(BigInt(offset + directory.length), 64)
  end.writeUInt32LE(1, 72)
  end.writeUInt32LE(END, 76)
  end.writeUInt16LE(0, 80)
  end.writeUInt16LE(0, 82)
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 84)
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 86)
  end.writeUInt32LE(Math.min(directory.length, IN_ZIP64), 88)
  end.writeUInt32LE(Math.min(offset, IN_ZIP64), 92)
  end.writeUInt16LE(0, 96)
  yield end
}

/** MS-DOS date and time (local fields, two-second steps), from epoch milliseconds. */
function dosTime(ms: number): { time: number; date: number } {
  const d = new Date(ms)
  const year = Math.max(1980, d.getUTCFullYear())
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  }
}
