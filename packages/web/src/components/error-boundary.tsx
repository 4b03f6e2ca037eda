import { Component, type ErrorInfo, type ReactNode } from 'react'
import { ErrorMessage } from './error-message.js'

/** Keeps one page's crash from blanking the app; the error is shown in words. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  state = { error: null as unknown }

  static getDerivedStateFromError(error: unknown) {
    return { error }
  }

  componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('page failed', error, info.componentStack)
  }

  render() {
    if (this.state.error) {
      return (
        <div className="page">
          <ErrorMessage error={this.state.error} retry={() => this.setState({ error: null })} />
        </div>
      )
    }
    return this.props.children
  }
}
