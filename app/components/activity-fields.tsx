// The fields of the staff activity form, shared by "new" and "edit". Values are what was typed,
// so a failed submission shows everything again with each message beside its field.
import { ACTIVITY_CATEGORIES } from '~/domain/categories'
import { DateInput } from './date-input'
import { Radios } from './radios'
import { Select } from './select'
import { Textarea } from './textarea'
import { TextInput } from './text-input'

export type ActivityFormValues = Record<string, string | undefined>

export function ActivityFields({
  values,
  errors,
  allowRepeat,
}: {
  values: ActivityFormValues
  errors: Record<string, string | undefined>
  allowRepeat: boolean
}) {
  const v = (name: string) => values[name] ?? ''
  return (
    <>
      <Radios
        id="kind"
        legend="What kind of session is it?"
        legendSize="m"
        error={errors.kind}
        defaultValue={v('kind')}
        items={[
          {
            value: 'activity',
            text: 'Virtual activity for children',
            hint: 'Parents and carers book places for their children',
          },
          { value: 'adoptables', text: 'Adoptables meeting', hint: 'Young people aged 12 to 18 join themselves' },
        ]}
      />
      <TextInput id="title" label="Title" labelSize="m" defaultValue={v('title')} error={errors.title} />
      <Select
        id="category"
        label="Category"
        labelSize="m"
        defaultValue={v('category')}
        error={errors.category}
        options={[{ value: '', text: 'Choose a category' }, ...ACTIVITY_CATEGORIES.map((c) => ({ value: c, text: c }))]}
      />
      <Textarea
        id="description"
        label="Description"
        labelSize="m"
        hint="What children will do and anything they need to have ready"
        defaultValue={v('description')}
        error={errors.description}
      />
      <DateInput
        id="date"
        legend="Date"
        legendSize="m"
        hint="For example, 27 3 2026"
        error={errors.date}
        value={{ day: v('date-day'), month: v('date-month'), year: v('date-year') }}
      />
      <TextInput
        id="startTime"
        label="Start time"
        labelSize="s"
        hint="UK time, for example 10:00 or 4:30pm"
        width={5}
        defaultValue={v('startTime')}
        error={errors.startTime}
      />
      <TextInput
        id="endTime"
        label="End time"
        labelSize="s"
        hint="UK time, for example 11:00 or 5:30pm"
        width={5}
        defaultValue={v('endTime')}
        error={errors.endTime}
      />
      <TextInput
        id="capacity"
        label="Number of spaces"
        labelSize="m"
        hint="One space is one child or young person"
        inputMode="numeric"
        width={4}
        defaultValue={v('capacity')}
        error={errors.capacity}
      />
      <TextInput
        id="minAge"
        label="Youngest age"
        labelSize="s"
        hint="In whole years on the day of the session"
        inputMode="numeric"
        width={3}
        defaultValue={v('minAge')}
        error={errors.minAge}
      />
      <TextInput
        id="maxAge"
        label="Oldest age"
        labelSize="s"
        inputMode="numeric"
        width={3}
        defaultValue={v('maxAge')}
        error={errors.maxAge}
      />
      <Radios
        id="locationType"
        legend="Where does it take place?"
        legendSize="m"
        error={errors.locationType ?? errors.joinUrl ?? errors.venue}
        defaultValue={v('locationType')}
        items={[
          {
            value: 'online',
            text: 'Online, on Microsoft Teams',
            conditional: (
              <TextInput
                id="joinUrl"
                label="Teams joining link"
                hint="Only people with a confirmed place see this link"
                type="url"
                spellCheck={false}
                defaultValue={v('joinUrl')}
                error={errors.joinUrl}
              />
            ),
          },
          {
            value: 'in_person',
            text: 'In person',
            conditional: (
              <TextInput
                id="venue"
                label="Venue"
                hint="Name and town, for example Oakwood House, Maidstone"
                defaultValue={v('venue')}
                error={errors.venue}
              />
            ),
          },
        ]}
      />
      <DateInput
        id="opens"
        legend="Bookings open (optional)"
        legendSize="s"
        hint="Leave empty to open bookings as soon as the session is published"
        error={errors.opens}
        value={{ day: v('opens-day'), month: v('opens-month'), year: v('opens-year') }}
      />
      <TextInput
        id="opensTime"
        label="Time bookings open (optional)"
        hint="For example 09:00. Midnight if left empty"
        width={5}
        defaultValue={v('opensTime')}
      />
      <DateInput
        id="closes"
        legend="Bookings close (optional)"
        legendSize="s"
        hint="Leave empty to close bookings 1 hour before the start"
        error={errors.closes}
        value={{ day: v('closes-day'), month: v('closes-month'), year: v('closes-year') }}
      />
      <TextInput
        id="closesTime"
        label="Time bookings close (optional)"
        hint="For example 17:00. 11:59pm if left empty"
        width={5}
        defaultValue={v('closesTime')}
      />
      {allowRepeat ? (
        <Radios
          id="repeat"
          legend="Does it repeat?"
          legendSize="m"
          hint="A series is created in one go; you can then change each session on its own"
          error={errors.repeat}
          defaultValue={v('repeat') || 'none'}
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
          id="sessions"
          label="Number of sessions in the series"
          labelSize="s"
          hint="Only if it repeats. Include the first session"
          inputMode="numeric"
          width={3}
          defaultValue={v('sessions')}
          error={errors.sessions}
        />
      ) : null}
    </>
  )
}
