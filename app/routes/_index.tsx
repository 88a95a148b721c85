import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { Form, useLoaderData } from 'react-router'
import { z } from 'zod'
import { Button, Select, TextInput } from '~/components'
import { ActivityListItem } from '~/components/activity-summary'
import { ACTIVITY_CATEGORIES } from '~/domain/categories'
import { listPublicActivities, upcomingMonths } from '~/domain/activities.server'
import { formatMonthKey } from '~/time/london-time'

export const meta: MetaFunction = () => [
  { title: 'Activities for adopted children and young people – Join In' },
  {
    name: 'description',
    content: 'Free online activities for adopted children in Kent, Medway and Bexley. Book a space.',
  },
]

// Each filter is checked on its own: one bad value is dropped with a message, the rest still apply.
const filterSchema = {
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  age: z.coerce.number().int().min(0).max(25),
  category: z.enum(ACTIVITY_CATEGORIES),
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams
  const typed = {
    month: params.get('month') ?? '',
    age: params.get('age') ?? '',
    category: params.get('category') ?? '',
  }
  const month = typed.month ? filterSchema.month.safeParse(typed.month) : null
  const age = typed.age.trim() ? filterSchema.age.safeParse(typed.age.trim()) : null
  const category = typed.category ? filterSchema.category.safeParse(typed.category) : null
  const errors: Record<string, string> = {}
  if (age && !age.success) errors.age = 'Enter an age in years, like 8'
  const [activities, months] = await Promise.all([
    listPublicActivities(context.db, {
      kind: 'activity',
      month: month?.success ? month.data : undefined,
      age: age?.success ? age.data : undefined,
      category: category?.success ? category.data : undefined,
    }),
    upcomingMonths(context.db),
  ])
  return { activities, months, typed, errors, filtered: Boolean(typed.month || typed.age || typed.category) }
}

export default function Activities() {
  const { activities, months, typed, errors, filtered } = useLoaderData<typeof loader>()
  return (
    <>
      <h1 className="govuk-heading-xl">Activities for adopted children</h1>
      <p className="govuk-body-l">
        Free online activities on Microsoft Teams for adopted children and their families in Kent, Medway and Bexley.
      </p>
      <p className="govuk-body">
        Young people aged 12 to 18 can also join{' '}
        <a className="govuk-link" href="/adoptables">
          Adoptables meetings
        </a>
        .
      </p>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-third">
          <Form method="get" className="app-filters" aria-label="Filter activities">
            <h2 className="govuk-heading-s">Filter activities</h2>
            <Select
              id="month"
              label="Month"
              defaultValue={typed.month}
              options={[
                { value: '', text: 'Any month' },
                ...months.map((m) => ({ value: m, text: formatMonthKey(m) })),
              ]}
            />
            <TextInput
              id="age"
              label="Child's age"
              hint="In years"
              inputMode="numeric"
              width={3}
              defaultValue={typed.age}
              error={errors.age}
            />
            <Select
              id="category"
              label="Category"
              defaultValue={typed.category}
              options={[
                { value: '', text: 'Any category' },
                ...ACTIVITY_CATEGORIES.filter((c) => c !== 'Adoptables meeting').map((c) => ({ value: c, text: c })),
              ]}
            />
            <Button variant="secondary" preventDoubleClick={false}>
              Show activities
            </Button>
            {filtered ? (
              <p className="govuk-body-s govuk-!-margin-bottom-0">
                <a className="govuk-link" href="/">
                  Clear filters
                </a>
              </p>
            ) : null}
          </Form>
        </div>
        <div className="govuk-grid-column-two-thirds">
          <p className="govuk-body" role="status">
            {activities.length === 1 ? '1 activity' : `${activities.length} activities`}
            {filtered ? ' match your filters' : ' coming up'}
          </p>
          {activities.length === 0 ? (
            <p className="govuk-body">
              {filtered
                ? 'Try another month, age or category.'
                : 'New activities are added every term. Check again soon.'}
            </p>
          ) : (
            <ul className="app-activity-list">
              {activities.map((a) => (
                <ActivityListItem key={a.id} activity={a} />
              ))}
            </ul>
          )}
        </div>
      </div>
    </>
  )
}
