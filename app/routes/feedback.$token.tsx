// The feedback link from the email the day after a session: no login, one answer per place.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import type { ReactNode } from 'react'
import { allow } from '~/auth/rate-limit.server'
import { Button, ErrorSummary, NotificationBanner, Panel, Radios, SummaryList, Textarea } from '~/components'
import { errorList } from '~/components/error-summary'
import { Honeypot, HONEYPOT_FIELD } from '~/components/honeypot'
import {
  commentField,
  FEEDBACK_COMMENT_MAX,
  FEEDBACK_SCALE,
  parseFeedbackForm,
  scoreField,
  scoreWords,
} from '~/domain/feedback-form'
import { getFeedbackPage, submitFeedback } from '~/domain/feedback-requests.server'
import { formatLondonDate, formatLondonTimeRange } from '~/time/london-time'
import { withoutControlCharacters } from '~/text/control-characters'
import { ActivitiesLink } from '~/components/activities-link'

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  {
    title: `${
      !loaded || loaded.page.status === 'not-found'
        ? 'This feedback link does not work'
        : loaded.page.status === 'expired'
          ? 'The time to give feedback on this session has passed'
          : loaded.page.places.every((p) => p.answeredScore !== null)
            ? 'Thank you for your feedback'
            : `How was ${loaded.page.activity.title}?`
    } – Join In`,
  },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const page = await getFeedbackPage(context.db, params.token ?? '')
  const thanks = new URL(request.url).searchParams.get('sent') === '1'
  if (page.status === 'not-found') return data({ page, thanks }, { status: 404 })
  if (page.status === 'expired') return data({ page, thanks }, { status: 410 })
  return { page, thanks }
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  if (!(await allow(context.db, `feedback:${context.clientIp}`, 60, 10 * 60_000, context.now())))
    throw new Response('Too many requests', { status: 429 })
  const token = params.token ?? ''
  const values: Record<string, string> = {}
  for (const [key, value] of await request.formData()) {
    // Long enough to tell someone their comment is too long, short enough never to be a burden.
    if (typeof value === 'string' && key.length < 40)
      values[key] = withoutControlCharacters(value.slice(0, FEEDBACK_COMMENT_MAX * 5))
  }
  if (values[HONEYPOT_FIELD]) throw new Response('Sorry, we could not take this', { status: 400 })
  const page = await getFeedbackPage(context.db, token)
  if (page.status === 'not-found') throw new Response('Not found', { status: 404 })
  if (page.status === 'expired') return redirect(`/feedback/${encodeURIComponent(token)}`)
  const open = page.places.filter((p) => p.answeredScore === null)
  // The same form posted twice (a double click, a back button): its places are answered now and it
  // says nothing about the others, so there is nothing to do and nothing wrong.
  const answersAnsweredPlaces = page.places.some((p) => p.answeredScore !== null && values[scoreField(p.id)])
  const saysAnythingNew = open.some((p) => values[scoreField(p.id)] || values[commentField(p.id)]?.trim())
  if (answersAnsweredPlaces && !saysAnythingNew) return redirect(`/feedback/${encodeURIComponent(token)}?sent=1`)
  const parsed = parseFeedbackForm(values, open, page.selfBooked)
  if (!parsed.ok) return data({ errors: parsed.errors, values }, { status: 400 })
  await submitFeedback(context.db, token, parsed.answers)
  // Post, redirect, get: refreshing the thank-you page does not post again.
  return redirect(`/feedback/${encodeURIComponent(token)}?sent=1`)
}

export default function FeedbackPage() {
  const { page, thanks } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  if (page.status === 'not-found') {
    return (
      <Column>
        <h1 className="govuk-heading-l">This feedback link does not work</h1>
        <p className="govuk-body">
          Use the link in the email exactly as it is. If it still does not work, you do not need to do anything else.
        </p>
      </Column>
    )
  }
  if (page.status === 'expired') {
    return (
      <Column>
        <h1 className="govuk-heading-l">The time to give feedback on this session has passed</h1>
        <p className="govuk-body">Thank you for coming. We ask for feedback for 30 days after each session.</p>
        <ActivitiesLink />
      </Column>
    )
  }
  const open = page.places.filter((p) => p.answeredScore === null)
  const answered = page.places.filter((p) => p.answeredScore !== null)
  const who = (firstName: string | null) => (page.selfBooked ? 'you' : firstName || 'your child')
  const when = `${formatLondonDate(page.activity.startsAt)}, ${formatLondonTimeRange(page.activity.startsAt, page.activity.endsAt)}`
  if (open.length === 0) {
    return (
      <Column>
        <Panel title="Thank you for your feedback">{page.activity.title}</Panel>
        <p className="govuk-body">The team reads every answer and uses them to plan the next activities.</p>
        <AnsweredList places={answered} selfBooked={page.selfBooked} />
        <ActivitiesLink />
      </Column>
    )
  }
  const errors: Record<string, string> = actionData?.errors ?? {}
  const v = (name: string) => actionData?.values?.[name] ?? ''
  const order = open.flatMap((p) => [scoreField(p.id), commentField(p.id)])
  return (
    <Column>
      <ErrorSummary errors={errorList(errors, order)} />
      {thanks ? <NotificationBanner success>Thank you: your answers are saved</NotificationBanner> : null}
      <span className="govuk-caption-l">{when}</span>
      <h1 className="govuk-heading-l">How was {page.activity.title}?</h1>
      <p className="govuk-body">
        {page.selfBooked
          ? 'Tell us what you thought. It helps us plan the next meetings.'
          : 'Tell us what each child thought. It helps us plan the next activities. You can answer for one child now and the others later with the same link.'}
      </p>
      {answered.length ? <AnsweredList places={answered} selfBooked={page.selfBooked} /> : null}
      <Form method="post" noValidate>
        <Honeypot />
        {open.map((place) => (
          <div key={place.id} className="govuk-!-margin-bottom-6">
            <Radios
              id={scoreField(place.id)}
              legend={`How much did ${who(place.firstName)} enjoy it?`}
              legendSize="m"
              error={errors[scoreField(place.id)]}
              defaultValue={v(scoreField(place.id))}
              items={[...FEEDBACK_SCALE].reverse().map((s) => ({
                value: String(s.score),
                text: (
                  <>
                    {/* The face only decorates: the words are the answer a screen reader reads. */}
                    <span className="govuk-!-margin-right-2" aria-hidden="true">
                      {s.face}
                    </span>
                    {s.words}
                  </>
                ),
              }))}
            />
            <Textarea
              id={commentField(place.id)}
              label={
                page.selfBooked
                  ? 'Anything else you want to tell us? (optional)'
                  : `Anything else you want to tell us about ${who(place.firstName)}’s time? (optional)`
              }
              hint={`Up to ${FEEDBACK_COMMENT_MAX.toLocaleString('en-GB')} characters. Please do not include surnames or anything else that identifies a child.`}
              rows={3}
              error={errors[commentField(place.id)]}
              defaultValue={v(commentField(place.id))}
            />
          </div>
        ))}
        <p className="govuk-body">
          <a className="govuk-link" href={page.selfBooked ? '/adoptables/privacy' : '/privacy'}>
            {page.selfBooked ? 'What we do with your details' : 'How we use your information'}
          </a>
        </p>
        <Button>Send feedback</Button>
      </Form>
    </Column>
  )
}

function AnsweredList({
  places,
  selfBooked,
}: {
  places: Array<{ id: number; firstName: string | null; answeredScore: number | null }>
  selfBooked: boolean
}) {
  return (
    <>
      <h2 className="govuk-heading-m">Your answers</h2>
      <SummaryList
        rows={places.map((p) => ({
          key: selfBooked ? 'You' : p.firstName || 'Your child',
          value: p.answeredScore === null ? '' : scoreWords(p.answeredScore),
        }))}
      />
    </>
  )
}

function Column({ children }: { children: ReactNode }) {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">{children}</div>
    </div>
  )
}
