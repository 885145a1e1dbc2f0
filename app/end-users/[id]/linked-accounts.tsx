import type { Person } from "@/lib/model/actor";
import type { LinkedAccount } from "@/lib/model/linked-identity";
import { LINKED_PROVIDERS, PROVIDER_ID_FORMATS, providerName } from "@/lib/model/providers";
import { formatTimestamp } from "@/lib/platform/format";
import { formerLinksOf, linkedAccountsOf } from "@/lib/use-cases/linked-accounts/link";
import { ProviderControls } from "./provider-forms";
import { Age } from "@/app/_components/age";

const none = (text: string) => <span className="muted">{text}</span>;

function IdentityFacts({ link, sourceId }: { link: LinkedAccount; sourceId: string }) {
  const name = providerName(link.provider);
  return (
    <dl className="facts">
      <dt>{name} id</dt>
      <dd className="mono">{link.externalId}</dd>
      <dt>Name</dt>
      <dd>{link.displayName ?? none("none")}</dd>
      <dt>External user id</dt>
      <dd>
        {link.externalUserId === null ? (
          none("not set")
        ) : (
          <>
            <span className="mono">{link.externalUserId}</span>{" "}
            {link.externalUserId === sourceId ? (
              <span className="badge badge-ok">matches our sourceId</span>
            ) : (
              <span className="badge badge-bad">differs from our sourceId</span>
            )}
          </>
        )}
      </dd>
      <dt>Channel</dt>
      <dd>
        {link.channel ?? none("not given")}
        {link.anonymous ? " (anonymous)" : ""}
      </dd>
      <dt>Note</dt>
      <dd>{link.note ?? none("none")}</dd>
      <dt>Created at {name}</dt>
      <dd>{link.createdAt ? formatTimestamp(link.createdAt) : none("not given")}</dd>
      <dt>Fetched</dt>
      <dd>
        {formatTimestamp(link.fetchedAt)} (<Age at={link.fetchedAt} />)
      </dd>
      {link.missingSince && (
        <>
          <dt>At {name}</dt>
          <dd data-testid={`link-${link.provider}-missing`}>
            <span className="badge badge-bad">not found</span> {name} answered on {formatTimestamp(link.missingSince)}{" "}
            that it has no end-user with this id. What is shown is from before; the link stays until it is unlinked.
          </dd>
        </>
      )}
    </dl>
  );
}

/** The customer's identity at Altur and Dify, as last fetched; operators link, refresh and unlink. */
export async function LinkedAccounts({
  viewer,
  endUserId,
  sourceId,
}: {
  viewer: Person;
  endUserId: string;
  sourceId: string;
}) {
  const [links, formers] = await Promise.all([linkedAccountsOf(viewer, endUserId), formerLinksOf(viewer, sourceId)]);
  return (
    <section aria-labelledby="linked-accounts">
      <h2 id="linked-accounts">Linked accounts</h2>
      {LINKED_PROVIDERS.map((provider) => {
        const link = links.find((l) => l.provider === provider);
        const former = link ? undefined : formers.find((f) => f.provider === provider);
        const name = providerName(provider);
        const target = { endUserId, provider, name };
        return (
          <div key={provider} className="card" data-testid={`link-${provider}`}>
            <h3>{name}</h3>
            <ProviderControls
              {...target}
              externalId={link?.externalId ?? null}
              suggested={former?.externalId}
              idFormat={PROVIDER_ID_FORMATS[provider]}
            >
              {link ? (
                <IdentityFacts link={link} sourceId={sourceId} />
              ) : (
                <>
                  <p className="muted">No {name} end-user linked.</p>
                  {former && (
                    <p className="notice notice-info" data-testid={`link-${provider}-former`}>
                      This customer&apos;s former end-user <span className="mono">{former.endUserId}</span> was linked
                      to {name} end-user <span className="mono">{former.externalId}</span> until it was offboarded on{" "}
                      {formatTimestamp(former.offboardedAt)}. If it is still this customer&apos;s, link it again: its id
                      is filled in below.
                    </p>
                  )}
                </>
              )}
            </ProviderControls>
          </div>
        );
      })}
    </section>
  );
}
