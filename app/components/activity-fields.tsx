// The fields of the staff activity form, shared by "new" and "edit". Values are what was typed,
// so a failed submission shows everything again with each message beside its field.
import { activityField, dateBox, type ActivityDateField, type ActivityField } from '~/domain/activity-form'
import { ACTIVITY_CATEGORIES } from '~/domain/categories'
import { DateInput } from './date-input'
import { Radios } from './radios'
import { Select } from './select'
import { Textarea } from './textarea'
import { TextInput } from './text-input'

export type ActivityFormValues = Record<string, string | undefined>

const f = activityField

export function ActivityFields({
  values,
  errors,
  allowRepeat,
}: {
  values: ActivityFormValues
  errors: Partial<Record<ActivityField, string>>
  allowRepeat: boolean
}) {
  const v = (name: ActivityField | ReturnType<typeof dateBox>) => values[name] ?? ''
  const dateValue = (field: ActivityDateField) => ({
    day: v(dateBox(field, 'day')),
    month: v(dateBox(field, 'month')),
    year: v(dateBox(field, 'year')),
  })
  return (
    <>
      <Radios
        id={f.kind}
        legend="What kind of session is it?"
        legendSize="m"
        error={errors.kind}
        defaultValue={v(f.kind)}
        items={[
          {
            value: 'activity',
            text: 'Virtual activity for children',
            hint: 'Parents and carers book places for their children',
          },
          { value: 'adoptables', text: 'Adoptables meeting', hint: 'Young people aged 12 to 18 join themselves' },
        ]}
      />
      <TextInput id={f.title} label="Title" labelSize="m" defaultValue={v(f.title)} error={errors.title} />
      <Select
        id={f.category}
        label="Category"
        labelSize="m"
        defaultValue={v(f.category)}
        error={errors.category}
        options={[{ value: '', text: 'Choose a category' }, ...ACTIVITY_CATEGORIES.map((c) => ({ value: c, text: c }))]}
      />
      <Textarea
        id={f.description}
        label="Description"
        labelSize="m"
        hint="What children will do"
        defaultValue={v(f.description)}
        error={errors.description}
      />
      <Textarea
        id={f.whatToBring}
        label="What to bring (optional)"
        labelSize="m"
        hint="Anything children need to have ready at home, for example PVA glue, a bowl and an old T-shirt. It is shown on the activity’s page and in booking emails."
        rows={3}
        defaultValue={v(f.whatToBring)}
        error={errors.whatToBring}
      />
      <DateInput
        id={f.date}
        legend="Date"
        legendSize="m"
        hint="For example, 27 3 2026"
        error={errors.date}
        value={dateValue(f.date)}
      />
      <TextInput
        id={f.startTime}
        label="Start time"
        labelSize="s"
        hint="UK time, for example 10:00 or 4:30pm"
        width={5}
        defaultValue={v(f.startTime)}
        error={errors.startTime}
      />
      <TextInput
        id={f.endTime}
        label="End time"
        labelSize="s"
        hint="UK time, for example 11:00 or 5:30pm"
        width={5}
        defaultValue={v(f.endTime)}
        error={errors.endTime}
      />
      <TextInput
        id={f.capacity}
        label="Number of spaces"
        labelSize="m"
        hint="One space is one child or young person"
        inputMode="numeric"
        width={4}
        defaultValue={v(f.capacity)}
        error={errors.capacity}
      />
      <TextInput
        id={f.minAge}
        label="Youngest age"
        labelSize="s"
        hint="In whole years on the day of the session"
        inputMode="numeric"
        width={3}
        defaultValue={v(f.minAge)}
        error={errors.minAge}
      />
      <TextInput
        id={f.maxAge}
        label="Oldest age"
        labelSize="s"
        inputMode="numeric"
        width={3}
        defaultValue={v(f.maxAge)}
        error={errors.maxAge}
      />
      <Radios
        id={f.locationType}
        legend="Where does it take place?"
        legendSize="m"
        error={errors.locationType ?? errors.joinUrl ?? errors.venue}
        defaultValue={v(f.locationType)}
        items={[
          {
            value: 'online',
            text: 'Online, on Microsoft Teams',
            conditional: (
              <TextInput
                id={f.joinUrl}
                label="Teams joining link"
                hint="Only people with a confirmed place see this link"
                type="url"
                spellCheck={false}
                defaultValue={v(f.joinUrl)}
                error={errors.joinUrl}
              />
            ),
          },
          {
            value: 'in_person',
            text: 'In person',
            conditional: (
              <TextInput
                id={f.venue}
                label="Venue"
                hint="Name and town, for example Oakwood House, Maidstone"
                defaultValue={v(f.venue)}
                error={errors.venue}
              />
            ),
          },
        ]}
      />
      <DateInput
        id={f.opens}
        legend="Bookings open (optional)"
        legendSize="s"
        hint="Leave empty to open bookings as soon as the session is published"
        error={errors.opens}
        value={dateValue(f.opens)}
      />
      <TextInput
        id={f.opensTime}
        label="Time bookings open (optional)"
        hint="For example 09:00. Midnight if left empty"
        width={5}
        defaultValue={v(f.opensTime)}
      />
      <DateInput
        id={f.closes}
        legend="Bookings close (optional)"
        legendSize="s"
        hint="Leave empty to close bookings 1 hour before the start"
        error={errors.closes}
        value={dateValue(f.closes)}
      />
      <TextInput
        id={f.closesTime}
        label="Time bookings close (optional)"
        hint="For example 17:00. 11:59pm if left empty"
        width={5}
        defaultValue={v(f.closesTime)}
      />
      {allowRepeat ? (
        <Radios
          id={f.repeat}
          legend="Does it repeat?"
          legendSize="m"
          hint="A series is created in one go; you can then change each session on its own"
          error={errors.repeat}
          defaultValue={v(f.repeat) || 'none'}
          items={[
            { value: 'none', text: 'No, a single session' },
            { value: 'weekly', text: 'Every week' },
            { value: 'fortnightly', text: 'Every 2 weeks' },
            { value: 'monthly', text: 'Every month, on the same date' },
          ]}
        />
      ) : null}
      {allowRepeat ? (
        <TextInput
          id={f.sessions}
          label="Number of sessions in the series"
          labelSize="s"
          hint="Only if it repeats. Include the first session"
          inputMode="numeric"
          width={3}
          defaultValue={v(f.sessions)}
          error={errors.sessions}
        />
      ) : null}
    </>
  )
}
