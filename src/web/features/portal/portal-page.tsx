/** Placeholder: the customer self-service portal arrives with its own issue. */
export function PortalPage() {
  return (
    <section className="page">
      <h1>Customer portal</h1>
      <p className="lead">This is where your customers will serve themselves, signed in as themselves rather than as staff.</p>
      <div className="card placeholder">
        <h2>What the portal will hold</h2>
        <ul>
          <li>Usage, and each bill explained line by line</li>
          <li>Service health at the customer's own address, and self-diagnosis of faults</li>
          <li>Plan changes with a price preview before anything is committed</li>
          <li>Contact on any channel, without repeating themselves; surveys and idea voting</li>
          <li>Notification and channel preferences, and the grants given to their AI assistants</li>
        </ul>
        <p className="muted">Not built yet: it comes with a later issue. Nothing on this page is live.</p>
      </div>
    </section>
  );
}
