// The public booking form's fields. "Add another child" and "Remove" are ordinary submit buttons,
// so they work with JavaScript off; everything typed comes back in `values`.
import { bookingField as f, childField } from '~/domain/booking-form'
import { Button } from './button'
import { useCouncilSearch } from './council-search'
import { Checkboxes } from './checkboxes'
import { DateInput } from './date-input'
import { Fieldset } from './fieldset'
import { Honeypot } from './honeypot'
import { Select, type SelectGroup } from './select'
import { Textarea } from './textarea'
import { TextInput } from './text-input'

export function BookingFields({
  values,
  errors,
  childCount,
  maxChildren,
  authorityGroups,
  eligibilityStatement,
  terms,
  controllerName,
  activityId,
  pagePath = `/activities/${activityId}`,
}: {
  values: Record<string, string | undefined>
  errors: Record<string, string | undefined>
  childCount: number
  maxChildren: number
  authorityGroups: SelectGroup[]
  eligibilityStatement: string
  terms: string
  /** the data controller (settings), named in the sentence on how the details are used */
  controllerName: string
  /** the session: "Add another child" posts back to its page at the new child's first field */
  activityId: number
  /** the page the form posts to, when not the session's own (a series page) */
  pagePath?: string
}) {
  const v = (name: string) => values[name] ?? ''
  useCouncilSearch('authority')
  return (
    <>
      <input type="hidden" name={f.childCount} value={childCount} />
      <Honeypot />
      <Fieldset legend="Your details" legendSize="m">
        <TextInput
          id={f.contactName}
          label="Your full name"
          autoComplete="name"
          defaultValue={v(f.contactName)}
          error={errors[f.contactName]}
        />
        <TextInput
          id={f.email}
          label="Email address"
          hint="We send the joining link and your booking here"
          type="email"
          autoComplete="email"
          spellCheck={false}
          defaultValue={v(f.email)}
          error={errors[f.email]}
        />
        <TextInput
          id={f.phone}
          label="Phone number (optional)"
          hint="Only so we can reach you if something changes at short notice"
          type="tel"
          autoComplete="tel"
          width={20}
          defaultValue={v(f.phone)}
          error={errors[f.phone]}
        />
        <Select
          id={f.authority}
          label="Which council area do you live in?"
          hint="The council for your home address. If you are not sure, choose the one that sends your council tax bill"
          defaultValue={v(f.authority)}
          error={errors[f.authority]}
          options={[{ value: '', text: 'Choose your council' }]}
          groups={authorityGroups}
        />
      </Fieldset>
      {Array.from({ length: childCount }, (_, i) => {
        const dob = childField(i, 'dob')
        // Keyed by what the server sent back as well as the position: the inputs keep what they
        // hold (defaultValue), so after "Remove child 1" the second child's values must land in new
        // inputs, not in the first child's old ones (which would drop the last child instead).
        const key = [
          i,
          v(childField(i, 'firstName')),
          v(`${dob}-day`),
          v(`${dob}-month`),
          v(`${dob}-year`),
          v(childField(i, 'supportNeeds')),
        ].join('\u0000')
        return (
          <Fieldset key={key} legend={childCount > 1 ? `Child ${i + 1}` : 'Child'} legendSize="m">
            <TextInput
              id={childField(i, 'firstName')}
              label="First name"
              hint="First name only, we do not need a surname"
              autoComplete="off"
              spellCheck={false}
              defaultValue={v(childField(i, 'firstName'))}
              error={errors[childField(i, 'firstName')]}
            />
            <DateInput
              id={dob}
              legend="Date of birth"
              legendSize="s"
              hint="For example, 27 3 2016"
              error={errors[dob]}
              value={{ day: v(`${dob}-day`), month: v(`${dob}-month`), year: v(`${dob}-year`) }}
            />
            <Textarea
              id={childField(i, 'supportNeeds')}
              label="Anything that would help them take part (optional)"
              hint="For example, additional needs, or something the session leader should know"
              rows={3}
              defaultValue={v(childField(i, 'supportNeeds'))}
              error={errors[childField(i, 'supportNeeds')]}
            />
            {childCount > 1 ? (
              <Button name="intent" value={`remove-child-${i}`} variant="secondary" preventDoubleClick={false}>
                Remove child {i + 1}
              </Button>
            ) : null}
          </Fieldset>
        )
      })}
      {childCount < maxChildren ? (
        <Button
          name="intent"
          value="add-child"
          variant="secondary"
          preventDoubleClick={false}
          formAction={`${pagePath}#${childField(childCount, 'firstName')}`}
        >
          Add another child
        </Button>
      ) : (
        <p className="govuk-body">You can book up to {maxChildren} children at once.</p>
      )}
      <h2 className="govuk-heading-m">Before you book</h2>
      <p className="govuk-body">{eligibilityStatement}</p>
      <Checkboxes
        id={f.eligibility}
        error={errors[f.eligibility]}
        defaultValues={v(f.eligibility) ? [v(f.eligibility)] : []}
        items={[{ value: 'yes', text: 'The children I am booking for can take part' }]}
      />
      <p className="govuk-body">{terms}</p>
      <p className="govuk-body">
        {controllerName} uses the details you give, including any support needs, to run the activity as part of its
        public task. You do not need to agree to this to book, and you can ask us to delete them at any time.{' '}
        <a className="govuk-link" href="/privacy">
          How we use your information
        </a>
      </p>
      <Checkboxes
        id={f.mailingList}
        defaultValues={v(f.mailingList) ? [v(f.mailingList)] : []}
        items={[
          {
            value: 'yes',
            text: 'Email me about new activities (optional)',
            hint: 'You can stop these emails at any time',
          },
        ]}
      />
    </>
  )
}
