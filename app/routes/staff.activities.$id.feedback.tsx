// What families said about one session: how many answered, the average, and every score with its
// comment. No names: staff read what was said, not who said it.
import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { useLoaderData } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { BackLink, SummaryList, Table } from '~/components'
import { getActivityForStaff } from '~/domain/activities.server'
import { scoreWords } from '~/domain/feedback-form'
import { viewSessionFeedback } from '~/domain/feedback.server'
import { parseId } from '~/domain/ids'
import { formatLondonDate, formatLondonShortDate, formatLondonTime, formatLondonTimeRange } from '~/time/london-time'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Feedback: ${data?.activity.title ?? 'session'} – Join In staff` },
]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:read')
  const id = parseId(params.id)
  const activity = id ? await getActivityForStaff(context.db, id) : null
  if (!activity) throw new Response('Not found', { status: 404 })
  const feedback = await viewSessionFeedback(context.db, activity.id, { id: staff.id, ip: context.clientIp })
  return {
    activity: { id: activity.id, title: activity.title, starts_at: activity.starts_at, ends_at: activity.ends_at },
    feedback,
  }
}

export default function SessionFeedback() {
  const { activity, feedback } = useLoaderData<typeof loader>()
  return (
    <>
      <BackLink href={`/staff/activities/${activity.id}`}>{activity.title}</BackLink>
      <span className="govuk-caption-l">
        {activity.title}, {formatLondonDate(activity.starts_at)},{' '}
        {formatLondonTimeRange(activity.starts_at, activity.ends_at)}
      </span>
      <h1 className="govuk-heading-l">Feedback</h1>
      {feedback.responses === 0 ? (
        <p className="govuk-body">
          Nobody has given feedback on this session yet. Families are asked at 9am the day after it.
        </p>
      ) : (
        <>
          <SummaryList
            rows={[
              { key: 'Responses', value: String(feedback.responses) },
              { key: 'Average score', value: `${feedback.average!.toFixed(1)} out of 5` },
            ]}
          />
          <Table
            caption="Responses by score"
            captionSize="m"
            head={[{ text: 'Score' }, { text: 'Responses', numeric: true }]}
            firstCellIsHeader
            rows={[...feedback.byScore]
              .reverse()
              .map((s) => [{ text: `${s.score}: ${scoreWords(s.score)}` }, { text: String(s.count), numeric: true }])}
          />
          <Table
            caption="Every response, newest first"
            captionSize="m"
            head={[{ text: 'Given' }, { text: 'Score' }, { text: 'Comment' }]}
            rows={feedback.items.map((item) => [
              { text: `${formatLondonShortDate(item.createdAt)}, ${formatLondonTime(item.createdAt)}` },
              { text: `${item.score}: ${scoreWords(item.score)}` },
              {
                text: item.comment ? (
                  <span className="app-pre-wrap govuk-!-text-break-word">{item.comment}</span>
                ) : (
                  'No comment'
                ),
              },
            ])}
          />
        </>
      )}
    </>
  )
}
