// A child kept in the family's account: first name, date of birth, support needs and the three
// consents, each a Yes/No question (with the date the answer held was given).
import { CONSENTS } from '~/domain/family-form'
import { DateInput } from './date-input'
import { Radios } from './radios'
import { Textarea } from './textarea'
import { TextInput } from './text-input'

export function ChildFields({
  values,
  errors,
  givenOn = {},
}: {
  values: Record<string, string | undefined>
  errors: Record<string, string | undefined>
  /** for each consent field, the date its answer was given, in words */
  givenOn?: Record<string, string | null>
}) {
  const v = (name: string) => values[name] ?? ''
  return (
    <>
      <TextInput
        id="firstName"
        label="First name"
        hint="First name only, we do not need a surname"
        autoComplete="off"
        spellCheck={false}
        width={20}
        defaultValue={v('firstName')}
        error={errors.firstName}
      />
      <DateInput
        id="dob"
        legend="Date of birth"
        legendSize="s"
        hint="For example, 27 3 2016"
        error={errors.dob}
        value={{ day: v('dob-day'), month: v('dob-month'), year: v('dob-year') }}
      />
      <Textarea
        id="supportNeeds"
        label="Anything that would help them take part (optional)"
        hint="For example, additional needs, or something the session leader should know"
        rows={3}
        defaultValue={v('supportNeeds')}
        error={errors.supportNeeds}
      />
      <h2 className="govuk-heading-m">What they can do on the call</h2>
      <p className="govuk-body">You can change these answers at any time. Each one applies to every session.</p>
      {CONSENTS.map(({ field, question }) => (
        <Radios
          key={field}
          id={field}
          legend={question}
          legendSize="s"
          hint={givenOn[field] ? `Answer given on ${givenOn[field]}` : undefined}
          error={errors[field]}
          inline
          defaultValue={v(field)}
          items={[
            { value: 'yes', text: 'Yes' },
            { value: 'no', text: 'No' },
          ]}
        />
      ))}
    </>
  )
}
