/** Placeholder: the public status page arrives with its own issue. */
export function StatusPage() {
  return (
    <section className="page">
      <h1>Status page</h1>
      <p className="lead">The public page where anyone can see how the network is doing, without signing in.</p>
      <div className="card placeholder">
        <h2>What the status page will hold</h2>
        <ul>
          <li>Current incidents and planned maintenance, with updates as they happen</li>
          <li>Uptime and SLA figures per service and area</li>
          <li>The upgrade roadmap, and transparency statements</li>
        </ul>
        <p className="muted">Not built yet: it comes with a later issue. Nothing on this page is live.</p>
      </div>
    </section>
  );
}
