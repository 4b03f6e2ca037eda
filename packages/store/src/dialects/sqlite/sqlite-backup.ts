import Database from 'better-sqlite3'

/**
 * Copies a SQLite database file with SQLite's online backup, consistent while a server keeps
 * writing to it: every page is copied in one step, inside one read transaction, so the copy
 * is the database as of one moment (in WAL mode the writer is not blocked meanwhile).
 */
export async function backupSqliteFile(source: string, destination: string): Promise<void> {
  const database = new Database(source, { fileMustExist: true })
  try {
    database.pragma('busy_timeout = 5000')
    // A step of "all remaining pages": a copy in several steps would start over whenever the
    // server commits between two of them.
    await database.backup(destination, { progress: () => 2 ** 31 - 1 })
  } finally {
    database.close()
  }
}
