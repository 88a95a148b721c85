// The family's own details: name, phones, home council (the booking form's council picker) and
// whether siblings on a waiting list may take places separately. The email address is shown, not
// changed here: it is how they sign in.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, redirect, useActionData, useLoaderData } from 'react-router'
import { requireFamily } from '~/auth/family-session.server'
import { BackLink, Button, ErrorSummary, Fieldset, Radios, Select, TextInput } from '~/components'
import { useCouncilSearch } from '~/components/council-search'
import { errorList } from '~/components/error-summary'
import { authorityGroups, listAuthorities } from '~/domain/authorities.server'
import { getFamilyProfile, updateFamilyDetails } from '~/domain/families.server'
import { DETAILS_FIELD_ORDER, familyDetailsSchema } from '~/domain/family-form'
import { parseForm } from '~/domain/form-fields'

export const meta: MetaFunction = () => [{ title: 'Your details – Join In' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const family = await requireFamily(request, context)
  const profile = await getFamilyProfile(context.db, family.id)
  if (!profile) throw new Response('Not found', { status: 404 })
  return {
    email: profile.email,
    values: {
      contactName: profile.contactName ?? '',
      phone: profile.phone ?? '',
      emergencyPhone: profile.emergencyPhone ?? '',
      authority: profile.authorityCode ?? '',
      placesSeparately: profile.placesSeparately ? 'yes' : 'no',
    } as Record<string, string>,
    authorityGroups: authorityGroups(await listAuthorities(context.db)),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const family = await requireFamily(request, context)
  const codes = new Set((await listAuthorities(context.db)).map((a) => a.code))
  const parsed = parseForm(familyDetailsSchema(codes), await request.formData())
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 })
  await updateFamilyDetails(context.db, family.id, parsed.value, context.now())
  return redirect('/family?done=details')
}

export default function FamilyDetails() {
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors: Record<string, string> = actionData?.errors ?? {}
  const values: Record<string, string> = actionData?.values ?? loaded.values
  const v = (name: string) => values[name] ?? ''
  useCouncilSearch('authority')
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/family">Back to your family</BackLink>
        <ErrorSummary errors={errorList(errors, DETAILS_FIELD_ORDER)} />
        <h1 className="govuk-heading-l">Your details</h1>
        <p className="govuk-body">
          Email address: <strong>{loaded.email}</strong>
        </p>
        <Form method="post" noValidate>
          <TextInput
            id="contactName"
            label="Your full name"
            autoComplete="name"
            defaultValue={v('contactName')}
            error={errors.contactName}
          />
          <TextInput
            id="phone"
            label="Phone number (optional)"
            hint="Only so we can reach you if something changes at short notice"
            type="tel"
            autoComplete="tel"
            width={20}
            defaultValue={v('phone')}
            error={errors.phone}
          />
          <Select
            id="authority"
            label="Which council area do you live in?"
            hint="The council for your home address. If you are not sure, choose the one that sends your council tax bill"
            defaultValue={v('authority')}
            error={errors.authority}
            options={[{ value: '', text: 'Choose your council' }]}
            groups={loaded.authorityGroups}
          />
          <Fieldset legend="During sessions" legendSize="m">
            <TextInput
              id="emergencyPhone"
              label="Emergency phone number (optional)"
              hint="A number the session leader can call while your child is on a session"
              type="tel"
              autoComplete="tel"
              width={20}
              defaultValue={v('emergencyPhone')}
              error={errors.emergencyPhone}
            />
          </Fieldset>
          <Radios
            id="placesSeparately"
            legend="Can your children take places separately?"
            legendSize="m"
            hint="If not, brothers and sisters on a waiting list are given places together, when there is room for all of them"
            error={errors.placesSeparately}
            defaultValue={v('placesSeparately')}
            items={[
              { value: 'yes', text: 'Yes, my children can take places separately' },
              { value: 'no', text: 'No, give them places together' },
            ]}
          />
          <Button>Save your details</Button>
        </Form>
      </div>
    </div>
  )
}
