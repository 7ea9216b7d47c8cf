import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorNotice } from './ErrorNotice';

interface Props {
  area: string;
  children: ReactNode;
}

/** Shows what failed instead of a blank window, and lets the user try that part again. */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`${this.props.area} failed`, error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <div className="page-error" role="alert">
          <h2>{this.props.area} could not be shown</h2>
          <ErrorNotice error={this.state.error} />
          <button type="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}
