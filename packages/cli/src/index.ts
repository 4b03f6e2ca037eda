export { CommandError } from './command-error.js'
