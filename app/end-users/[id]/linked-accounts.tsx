import { listProviderLinks } from "@/lib/data/provider-links";
import { linkDetails } from "@/lib/end-users/provider-links";
import { describeAge, formatTimestamp } from "@/lib/format";
import { providerNames } from "@/lib/providers/names";
import { LinkedProviderButtons, LinkProviderForm } from "./provider-forms";

const PROVIDERS = ["altur", "dify"] as const;

/** The customer's identity at Altur and Dify, as last fetched; operators link, refresh and unlink. */
export async function LinkedAccounts({ endUserId, sourceId }: { endUserId: string; sourceId: string }) {
  const links = await listProviderLinks(endUserId);
  return (
    <section aria-labelledby="linked-accounts">
      <h2 id="linked-accounts">Linked accounts</h2>
      {PROVIDERS.map((provider) => {
        const link = links.find((l) => l.provider === provider);
        const name = providerNames[provider];
        const target = { endUserId, provider, name };
        if (!link) {
          return (
            <div key={provider} className="card" data-testid={`link-${provider}`}>
              <h3>{name}</h3>
              <p className="muted">No {name} end-user linked.</p>
              <LinkProviderForm {...target} />
            </div>
          );
        }
        const details = linkDetails(link);
        return (
          <div key={provider} className="card" data-testid={`link-${provider}`}>
            <h3>{name}</h3>
            <dl className="facts">
              <dt>{name} id</dt>
              <dd className="mono">{link.externalId}</dd>
              {details.provider === "altur" ? (
                <>
                  <dt>Display name</dt>
                  <dd>{details.endUser.display_name}</dd>
                  <dt>Channel</dt>
                  <dd>{details.endUser.integration_type ?? "not given"}</dd>
                  <dt>Info</dt>
                  <dd>{details.endUser.info || <span className="muted">none</span>}</dd>
                </>
              ) : (
                <>
                  <dt>Name</dt>
                  <dd>{details.endUser.name ?? <span className="muted">none</span>}</dd>
                  <dt>External user id</dt>
                  <dd>
                    {details.endUser.external_user_id == null ? (
                      <span className="muted">not set</span>
                    ) : (
                      <>
                        <span className="mono">{details.endUser.external_user_id}</span>{" "}
                        {details.endUser.external_user_id === sourceId ? (
                          <span className="badge badge-ok">matches our sourceId</span>
                        ) : (
                          <span className="badge badge-bad">differs from our sourceId</span>
                        )}
                      </>
                    )}
                  </dd>
                  <dt>Type</dt>
                  <dd>
                    {details.endUser.type ?? "not given"}
                    {details.endUser.is_anonymous ? " (anonymous)" : ""}
                  </dd>
                  <dt>Created at {name}</dt>
                  <dd>{details.endUser.created_at ? formatTimestamp(new Date(details.endUser.created_at)) : "not given"}</dd>
                </>
              )}
              <dt>Fetched</dt>
              <dd>
                {formatTimestamp(link.fetchedAt)} ({describeAge(link.fetchedAt)})
              </dd>
            </dl>
            <LinkedProviderButtons {...target} />
          </div>
        );
      })}
    </section>
  );
}
