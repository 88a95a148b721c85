// The check page before a child is removed from the family. Removing them cancels nothing: places
// already booked stay on the family's bookings, where they can be cancelled.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { Form, redirect, useLoaderData } from 'react-router'
import { z } from 'zod'
import { requireFamily } from '~/auth/family-session.server'
import { BackLink, Button, WarningText } from '~/components'
import { getChild, removeChild, upcomingPlacesOf } from '~/domain/families.server'

export const meta: MetaFunction = () => [{ title: 'Remove a child – Join In' }]

const idSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)

function notFound(): never {
  throw new Response('Not found', { status: 404 })
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const family = await requireFamily(request, context)
  const id = idSchema.safeParse(params.id)
  if (!id.success) notFound()
  const child = await getChild(context.db, family.id, id.data)
  if (!child) notFound()
  const upcoming = await upcomingPlacesOf(context.db, family.id, child.id, context.now())
  return { id: child.id, name: child.firstName, upcoming }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const family = await requireFamily(request, context)
  const id = idSchema.safeParse(params.id)
  if (!id.success) notFound()
  if ((await removeChild(context.db, family.id, id.data)) === 'not-found') notFound()
  return redirect('/family?done=child-removed')
}

export default function RemoveChild() {
  const { id, name, upcoming } = useLoaderData<typeof loader>()
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href={`/family/children/${id}`}>Back</BackLink>
        <h1 className="govuk-heading-l">{`Are you sure you want to remove ${name}?`}</h1>
        <p className="govuk-body">
          We will delete {name}’s details and consents from your family. You can add them again later.
        </p>
        {upcoming > 0 ? (
          <WarningText>
            {`This does not cancel ${name}’s ${upcoming === 1 ? 'place' : `${upcoming} places`} on sessions still to come. To cancel, go to your bookings.`}
          </WarningText>
        ) : (
          <p className="govuk-body">This does not cancel any places already booked.</p>
        )}
        <Form method="post">
          <Button variant="warning">Yes, remove {name}</Button>
        </Form>
        <p className="govuk-body">
          <a className="govuk-link" href="/family">
            No, keep {name}
          </a>
        </p>
      </div>
    </div>
  )
}
