import { createSqliteStore } from '../src/index.js'
import { runStoreConformance } from './conformance/run-conformance.js'

runStoreConformance({
  name: 'sqlite',
  async createStore() {
    const store = createSqliteStore({ filename: ':memory:' })
    const result = await store.migrate()
    if (result.error) throw result.error
    return store
  },
})
