import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useLoaderData, useSearchParams } from 'react-router'
import { z } from 'zod'
import { linksFor } from '~/base-url.server'
import { Button, NotificationBanner, Tag } from '~/components'
import { parseId } from '~/domain/ids'
import { formatLondonDate, formatLondonTimeRange } from '~/time/london-time'
import { bookMeeting, findMemberByLink, memberPage } from '~/domain/members.server'

export const meta: MetaFunction = () => [
  { title: 'Your Adoptables page – Join In' },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get('token')
  const page = await memberPage(context.db, parseId(params.id), token)
  if (!page) return data({ found: false as const }, { status: 404, headers: { 'Cache-Control': 'no-store' } })
  return data(
    {
      found: true as const,
      token: token!,
      firstName: page.member.first_name,
      pending: page.member.status === 'pending',
      meetings: page.meetings,
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

const bookSchema = z.object({ token: z.string().min(1).max(200), meetingId: z.coerce.number().int().positive() })

export async function action({ request, params, context }: ActionFunctionArgs) {
  const parsed = bookSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) throw new Response('Bad request', { status: 400 })
  const id = parseId(params.id)
  const member = id ? await findMemberByLink(context.db, id, parsed.data.token) : null
  if (!member) throw new Response('Not found', { status: 404 })
  const result = await bookMeeting(context.db, member.id, parsed.data.meetingId, linksFor(request, context))
  context.nudgeOutbox?.()
  const notice =
    result.status === 'booked'
      ? result.confirmed.length
        ? 'booked'
        : 'waitlisted'
      : result.status === 'already-submitted'
        ? 'already'
        : result.status
  return redirect(`/adoptables/members/${member.id}?token=${encodeURIComponent(parsed.data.token)}&notice=${notice}`)
}

const NOTICES: Record<string, string> = {
  booked: 'You are booked on. We have emailed you the details and a calendar invite.',
  waitlisted: 'That meeting is full, so you are on the waiting list. We will email you if a space comes up.',
  already: 'You are already booked on that meeting.',
  closed: 'Sign-up for that meeting has closed.',
  'age-out-of-range': 'That meeting is for young people aged 12 to 18 on the day.',
  'pending-consent': 'You can book meetings once your parent or carer has said yes.',
}

export default function MemberPage() {
  const page = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  if (!page.found) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">This link does not work</h1>
          <p className="govuk-body">
            Links stop working when a new one is sent.{' '}
            <a className="govuk-link" href="/adoptables">
              Sign up again
            </a>{' '}
            with the same email and date of birth, and we will email you a new link.
          </p>
        </div>
      </div>
    )
  }
  const notice = NOTICES[searchParams.get('notice') ?? '']
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {notice ? (
          <NotificationBanner success={searchParams.get('notice') === 'booked'}>{notice}</NotificationBanner>
        ) : null}
        <h1 className="govuk-heading-l">{`Hi ${page.firstName ?? ''}`}</h1>
        {page.pending ? (
          <p className="govuk-body">
            We are waiting for your parent or carer to say yes. We will email you when they do.
          </p>
        ) : null}
        <h2 className="govuk-heading-m">Adoptables meetings</h2>
        {page.meetings.length === 0 ? <p className="govuk-body">There are no meetings planned yet.</p> : null}
        <ul className="app-activity-list">
          {page.meetings.map((m) => (
            <li className="app-activity-list__item" key={m.id}>
              <h3 className="govuk-heading-s app-activity-list__title">{m.title}</h3>
              <p className="govuk-body app-activity-list__meta">
                {formatLondonDate(m.starts_at)}, {formatLondonTimeRange(m.starts_at, m.ends_at)}
              </p>
              {m.placeStatus === 'confirmed' ? (
                <>
                  <p className="govuk-body">
                    <Tag colour="green">Booked</Tag>
                  </p>
                  {m.joinUrl ? (
                    <p className="govuk-body">
                      <a className="govuk-link" href={m.joinUrl} rel="noreferrer">
                        Join on Microsoft Teams<span className="govuk-visually-hidden">: {m.title}</span>
                      </a>
                    </p>
                  ) : null}
                </>
              ) : m.placeStatus === 'waitlisted' ? (
                <p className="govuk-body">
                  <Tag colour="yellow">On the waiting list</Tag>
                </p>
              ) : page.pending ? null : (
                <Form method="post">
                  <input type="hidden" name="token" value={page.token} />
                  <input type="hidden" name="meetingId" value={m.id} />
                  <Button>
                    {m.spacesLeft === 0 ? 'Join the waiting list' : 'Book this meeting'}
                    <span className="govuk-visually-hidden">: {formatLondonDate(m.starts_at)}</span>
                  </Button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        <p className="govuk-body">
          <a className="govuk-link" href="/adoptables/privacy">
            What we do with your details
          </a>
        </p>
      </div>
    </div>
  )
}
