import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import { requireStaff } from '~/auth/session.server'
import { baseUrl } from '~/base-url.server'
import {
  BackLink,
  Button,
  ButtonGroup,
  ErrorSummary,
  InsetText,
  NotificationBanner,
  Table,
  Tag,
  TextInput,
  WarningText,
  errorList,
} from '~/components'
import { checkRevokeApiToken, createApiToken, listApiTokens, revokeApiToken } from '~/domain/api-tokens.server'
import { formatLondonShortDate, formatLondonTime } from '~/time/london-time'

export const meta: MetaFunction = () => [{ title: 'API tokens – Join In staff' }]

const createSchema = z.object({ intent: z.literal('create'), name: z.string().max(1000).catch('') })
// "revoke" shows the check page and changes nothing; "confirm-revoke" revokes.
const revokeSchema = z.object({
  intent: z.enum(['revoke', 'confirm-revoke']),
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
})

const NOTICES: Record<string, (name: string) => { text: string; success: boolean }> = {
  revoked: (name) => ({
    text: `Token “${name}” revoked. Anything still using it now gets “401 Unauthorized”.`,
    success: true,
  }),
  'already-revoked': (name) => ({ text: `Token “${name}” had already been revoked.`, success: false }),
}

// A new token is in the page once: neither the browser nor a proxy may keep a copy.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'settings:write')
  const tokens = await listApiTokens(context.db)
  const query = new URL(request.url).searchParams
  const named = tokens.find((t) => String(t.id) === query.get('token'))
  return {
    tokens,
    feedUrl: `${baseUrl(request, context)}/api/reports.csv`,
    notice: NOTICES[query.get('notice') ?? '']?.(named?.name ?? 'that token') ?? null,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'settings:write')
  const fields = Object.fromEntries(await request.formData())
  if (fields.intent === 'revoke' || fields.intent === 'confirm-revoke') {
    const parsed = revokeSchema.safeParse(fields)
    if (!parsed.success) throw new Response('That is not a token that can be revoked', { status: 400 })
    const { id } = parsed.data
    const result =
      parsed.data.intent === 'revoke'
        ? await checkRevokeApiToken(context.db, id)
        : await revokeApiToken(context.db, id, staff.id)
    if (result.status === 'not-found') throw new Response('That token does not exist', { status: 404 })
    if (result.status === 'check') return data({ check: { id, name: result.name } })
    return redirect(`/staff/api-tokens?notice=${result.status}&token=${id}`)
  }
  const parsed = createSchema.safeParse(fields)
  if (!parsed.success) throw new Response('That is not something this page can do', { status: 400 })
  const created = await createApiToken(context.db, parsed.data.name, staff.id)
  if (!created.ok) return data({ errors: created.errors, name: parsed.data.name, created: null }, { status: 400 })
  // The token is in this one response and nowhere else: no redirect (it would need the token in
  // the address or a session); the headers export keeps it out of caches.
  return data({ errors: {} as Record<string, string>, name: '', created: { name: created.name, token: created.token } })
}

function formatInstant(instant: string | null): string {
  return instant ? `${formatLondonShortDate(instant)}, ${formatLondonTime(instant)}` : 'Never'
}

export default function ApiTokens() {
  const { tokens, feedUrl, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  if (actionData && 'check' in actionData) return <RevokeCheck token={actionData.check} />
  const result = actionData && 'created' in actionData ? actionData : undefined
  const errors: Record<string, string> = result?.errors ?? {}
  const banner = result ? undefined : notice
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errorList(errors, ['name'])} />
        {banner ? <NotificationBanner success={banner.success}>{banner.text}</NotificationBanner> : null}
        {result?.created ? (
          <NotificationBanner success title="Token created">
            <p className="govuk-notification-banner__heading">Token “{result.created.name}” created</p>
            <WarningText>
              Copy this token now. You will not be able to see it again: only a fingerprint of it is kept.
            </WarningText>
            <p className="govuk-body">
              <label className="govuk-label govuk-label--s" htmlFor="new-token">
                Your new token
              </label>
              <input
                className="govuk-input"
                id="new-token"
                type="text"
                readOnly
                value={result.created.token}
                spellCheck={false}
                autoComplete="off"
              />
            </p>
          </NotificationBanner>
        ) : null}

        <h1 className="govuk-heading-l">API tokens</h1>
        <p className="govuk-body">
          A token lets Power BI, or another program, read the quarterly report’s figures as CSV without signing in. Give
          each program its own token, so you can revoke one without stopping the others. Each use is written to the
          audit log.
        </p>

        <h2 className="govuk-heading-m">Using the report feed</h2>
        <p className="govuk-body">The feed’s address is:</p>
        <p className="govuk-body">
          <code>{feedUrl}?quarter=2025-26%20Q3</code>
        </p>
        <p className="govuk-body">
          Leave out <code>quarter</code> for the current quarter, or give <code>from=2025-04-01&amp;to=2026-03-31</code>{' '}
          for any range of dates. The figures are in long format: one row for each period, measure, dimension and value.
        </p>
        <p className="govuk-body">
          In Power BI choose <strong>Get data</strong>, then <strong>Web</strong>, then <strong>Advanced</strong>. Put
          the address in the URL box and add an HTTP request header named <code>Authorization</code> with the value{' '}
          <code>Bearer</code>, a space, then the token. When asked how to connect, choose <strong>Anonymous</strong>.
        </p>
        <InsetText>
          If a program cannot send headers, add <code>&amp;token=</code> and the token to the address instead. Prefer
          the header: an address can end up in logs and browser history.
        </InsetText>

        <h2 className="govuk-heading-m">Create a token</h2>
        {/* A new key after each token is made empties the name box when scripts run, as a reload would. */}
        <Form method="post" noValidate key={result?.created?.token ?? 'create'}>
          <TextInput
            id="name"
            label="What will use this token?"
            labelSize="s"
            hint="For example, “Power BI quarterly dashboard”. The name appears in the audit log each time the token is used."
            error={errors.name}
            defaultValue={result?.name ?? ''}
            autoComplete="off"
          />
          <Button name="intent" value="create">
            Create token
          </Button>
        </Form>

        <Table
          caption={tokens.length === 0 ? 'No tokens yet' : 'Tokens'}
          captionSize="m"
          head={[
            { text: 'Name' },
            { text: 'Created' },
            { text: 'Last used' },
            { text: 'Status' },
            { text: <span className="govuk-visually-hidden">Actions</span> },
          ]}
          rows={tokens.map((t) => [
            { text: t.name, header: true },
            { text: `${formatInstant(t.createdAt)}${t.createdByName ? ` by ${t.createdByName}` : ''}` },
            { text: formatInstant(t.lastUsedAt) },
            {
              text: t.revokedAt ? (
                <Tag colour="grey">Revoked {formatLondonShortDate(t.revokedAt)}</Tag>
              ) : (
                <Tag colour="green">Active</Tag>
              ),
            },
            {
              text: t.revokedAt ? (
                ''
              ) : (
                <Form method="post">
                  <input type="hidden" name="id" value={t.id} />
                  <Button name="intent" value="revoke" variant="warning">
                    Revoke<span className="govuk-visually-hidden"> {t.name}</span>
                  </Button>
                </Form>
              ),
            },
          ])}
        />
      </div>
    </div>
  )
}

/** The check page before revoking a token (GOV.UK "check before you act"). */
function RevokeCheck({ token }: { token: { id: number; name: string } }) {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/staff/api-tokens">Back to API tokens</BackLink>
        <h1 className="govuk-heading-l">{`Are you sure you want to revoke the token “${token.name}”?`}</h1>
        <WarningText>
          Anything still using it, such as a Power BI refresh, gets “401 Unauthorized” from then on. A revoked token
          cannot be used again: you would create a new one.
        </WarningText>
        <Form method="post">
          <input type="hidden" name="id" value={token.id} />
          <ButtonGroup>
            <Button name="intent" value="confirm-revoke" variant="warning">
              {`Yes, revoke “${token.name}”`}
            </Button>
            <a className="govuk-link" href="/staff/api-tokens">
              No, keep it
            </a>
          </ButtonGroup>
        </Form>
      </div>
    </div>
  )
}
