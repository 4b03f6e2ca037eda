/**
 * Parses CSV (RFC 4180: quoted fields, doubled quotes, newlines inside quotes, CRLF or LF) into
 * rows of cells, stopping after `maxRows` so a preview of a huge file stays quick. The
 * delimiter is guessed from the first line: comma, semicolon or tab.
 */
export function parseCsv(
  text: string,
  maxRows = 1000,
): { rows: string[][]; truncated: boolean; delimiter: string } {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'))
  const delimiter = [',', ';', '\t'].reduce((best, candidate) =>
    firstLine.split(candidate).length > firstLine.split(best).length ? candidate : best,
  )
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  let i = 0
  while (i < text.length) {
    const char = text[i]!
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"'
          i += 2
          continue
        }
        quoted = false
      } else {
        cell += char
      }
      i++
      continue
    }
    if (char === '"' && cell === '') {
      quoted = true
    } else if (char === delimiter) {
      row.push(cell)
      cell = ''
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      if (rows.length >= maxRows) return { rows, truncated: i + 1 < text.length, delimiter }
    } else {
      cell += char
    }
    i++
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell)
    rows.push(row)
  }
  return { rows, truncated: false, delimiter }
}
