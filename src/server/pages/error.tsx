/** @jsxImportSource hono/jsx */
import { Layout } from './layout.js';

export function ErrorPage(props: { status: number; code: string; message: string }) {
  const title = props.status === 404 ? 'Not found' : props.status >= 500 ? 'Server error' : 'Request refused';
  return (
    <Layout title={title} nav="none">
      <section class="panel" data-error={props.code}>
        <h1>{title}</h1>
        <p>{props.message}</p>
        <p class="muted mono">
          {props.status} {props.code}
        </p>
        <p>
          <a href="/">← Back to the feed</a>
        </p>
      </section>
    </Layout>
  );
}
