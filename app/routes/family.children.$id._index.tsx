// Changing one of the family's children: name, date of birth, support needs and consents. A
// consent's date changes only when its answer does. Another family's child is not found.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, redirect, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import { requireFamily } from '~/auth/family-session.server'
import { BackLink, Button, ErrorSummary } from '~/components'
import { ChildFields } from '~/components/child-fields'
import { errorList } from '~/components/error-summary'
import { getChild, updateChild, type ChildProfile } from '~/domain/families.server'
import { CHILD_FIELD_ORDER, CHILD_FIELD_TARGETS, CONSENTS, parseChildForm } from '~/domain/family-form'
import { formatCalendarDate, londonDateOf } from '~/time/london-time'

export const meta: MetaFunction = () => [{ title: 'Change a child’s details – Join In' }]

const idSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)

function notFound(): never {
  throw new Response('Not found', { status: 404 })
}

function valuesOf(child: ChildProfile): Record<string, string> {
  const [year, month, day] = child.dateOfBirth.split('-')
  const values: Record<string, string> = {
    firstName: child.firstName,
    'dob-day': String(Number(day)),
    'dob-month': String(Number(month)),
    'dob-year': year ?? '',
    supportNeeds: child.supportNeeds ?? '',
  }
  for (const { field } of CONSENTS) {
    const answer = child.consents[field].answer
    values[field] = answer === null ? '' : answer ? 'yes' : 'no'
  }
  return values
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const family = await requireFamily(request, context)
  const id = idSchema.safeParse(params.id)
  if (!id.success) notFound()
  const child = await getChild(context.db, family.id, id.data)
  if (!child) notFound()
  const givenOn: Record<string, string | null> = {}
  for (const { field } of CONSENTS) {
    const at = child.consents[field].at
    givenOn[field] = at ? formatCalendarDate(londonDateOf(at)) : null
  }
  return { id: child.id, name: child.firstName, values: valuesOf(child), givenOn }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const family = await requireFamily(request, context)
  const id = idSchema.safeParse(params.id)
  if (!id.success) notFound()
  const now = context.now()
  const parsed = parseChildForm(await request.formData(), londonDateOf(now))
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 })
  const result = await updateChild(context.db, family.id, id.data, parsed.value, now)
  if (result.status === 'not-found') notFound()
  if (result.status === 'duplicate') {
    return data(
      { errors: { firstName: `${parsed.value.firstName} is already in your family` }, values: parsed.values },
      { status: 400 },
    )
  }
  return redirect('/family?done=child-saved')
}

export default function ChangeChild() {
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors: Record<string, string> = actionData?.errors ?? {}
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/family">Back to your family</BackLink>
        <ErrorSummary errors={errorList(errors, CHILD_FIELD_ORDER, CHILD_FIELD_TARGETS)} />
        <h1 className="govuk-heading-l">Change {loaded.name}’s details</h1>
        <Form method="post" noValidate>
          <ChildFields values={actionData?.values ?? loaded.values} errors={errors} givenOn={loaded.givenOn} />
          <Button>Save changes</Button>
        </Form>
        <p className="govuk-body">
          <a className="govuk-link" href={`/family/children/${loaded.id}/remove`}>
            Remove {loaded.name} from your family
          </a>
        </p>
      </div>
    </div>
  )
}
