// @vitest-environment jsdom
import { render, screen, within, cleanup } from '@testing-library/react'
import { describe, it, expect, afterEach } from 'vitest'
import { renderToStaticMarkup } from 'react-dom/server'
import {
  BackLink,
  Button,
  ButtonLink,
  Checkboxes,
  DateInput,
  Details,
  ErrorMessage,
  ErrorSummary,
  errorList,
  Fieldset,
  Footer,
  Header,
  InsetText,
  NotificationBanner,
  Pagination,
  Panel,
  PhaseBanner,
  Radios,
  Select,
  SkipLink,
  SummaryList,
  Table,
  Tag,
  TextInput,
  Textarea,
  WarningText,
} from '~/components'

afterEach(() => {
  cleanup()
})

function byId(id: string): HTMLElement {
  const element = document.getElementById(id)
  if (!element) throw new Error(`no element with id ${id}`)
  return element
}

describe('ErrorSummary', () => {
  it('renders nothing when there are no errors', () => {
    const { container } = render(<ErrorSummary errors={[]} />)
    expect(container.innerHTML).toBe('')
  })

  it('lists each error as a link to its field inside an alert', () => {
    render(
      <ErrorSummary
        errors={[
          { href: '#email', message: 'Enter an email address' },
          { href: '#dob-day', message: 'Date of birth must be in the past' },
        ]}
      />,
    )
    const alert = screen.getByRole('alert')
    expect(within(alert).getByRole('heading', { level: 2, name: 'There is a problem' })).toBeTruthy()
    const links = within(alert).getAllByRole('link')
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['#email', '#dob-day'])
    expect(links.map((link) => link.textContent)).toEqual([
      'Enter an email address',
      'Date of birth must be in the past',
    ])
    const summary = alert.parentElement
    expect(summary?.className).toBe('govuk-error-summary')
    expect(summary?.getAttribute('tabindex')).toBe('-1')
    expect(summary?.getAttribute('data-module')).toBe('govuk-error-summary')
  })
})

describe('errorList', () => {
  it('maps field errors to #field links, skipping fields without an error', () => {
    expect(errorList({ name: 'Enter your name', email: undefined, phone: 'Enter a phone number' })).toEqual([
      { href: '#name', message: 'Enter your name' },
      { href: '#phone', message: 'Enter a phone number' },
    ])
  })

  it('follows the given order, then any fields it leaves out', () => {
    const errors = { phone: 'Enter a phone number', name: 'Enter your name', extra: 'Something else' }
    expect(errorList(errors, ['name', 'email', 'phone']).map((e) => e.href)).toEqual(['#name', '#phone', '#extra'])
  })

  it('can link a field to another element, such as the day input of a date', () => {
    expect(errorList({ dob: 'Enter a date of birth' }, undefined, { dob: 'dob-day' })).toEqual([
      { href: '#dob-day', message: 'Enter a date of birth' },
    ])
  })
})

describe('ErrorMessage', () => {
  it('starts with a visually hidden "Error:" prefix', () => {
    render(<ErrorMessage id="name-error">Enter your name</ErrorMessage>)
    const message = byId('name-error')
    expect(message.tagName).toBe('P')
    expect(message.className).toBe('govuk-error-message')
    expect(message.textContent).toBe('Error: Enter your name')
    expect(within(message).getByText('Error:').className).toBe('govuk-visually-hidden')
  })
})

describe('TextInput', () => {
  it('links label, hint and error to the input and keeps the value the user typed', () => {
    render(
      <TextInput
        id="email"
        label="Email address"
        hint="We will send your booking confirmation here"
        error="Enter an email address in the correct format, like name@example.com"
        defaultValue="not-an-email"
        type="email"
        autoComplete="email"
        spellCheck={false}
      />,
    )
    const input = screen.getByLabelText('Email address') as HTMLInputElement
    expect(input.id).toBe('email')
    expect(input.name).toBe('email')
    expect(input.type).toBe('email')
    expect(input.value).toBe('not-an-email')
    expect(input.getAttribute('autocomplete')).toBe('email')
    expect(input.getAttribute('spellcheck')).toBe('false')
    expect(input.getAttribute('aria-describedby')).toBe('email-hint email-error')
    expect(byId('email-hint').textContent).toBe('We will send your booking confirmation here')
    expect(byId('email-error').textContent).toBe(
      'Error: Enter an email address in the correct format, like name@example.com',
    )
    expect(input.classList.contains('govuk-input--error')).toBe(true)
    expect(input.closest('.govuk-form-group')?.classList.contains('govuk-form-group--error')).toBe(true)
  })

  it('has no error styling or aria-describedby when there is no hint or error', () => {
    render(<TextInput id="name" name="fullName" label="Full name" />)
    const input = screen.getByLabelText('Full name') as HTMLInputElement
    expect(input.name).toBe('fullName')
    expect(input.hasAttribute('aria-describedby')).toBe(false)
    expect(input.className).toBe('govuk-input')
    expect(input.closest('.govuk-form-group')?.className).toBe('govuk-form-group')
    expect(screen.queryByText('Error:')).toBeNull()
  })

  it('puts only the error id in aria-describedby when there is no hint', () => {
    render(<TextInput id="name" label="Full name" error="Enter your full name" />)
    expect(screen.getByLabelText('Full name').getAttribute('aria-describedby')).toBe('name-error')
  })

  it('never renders the HTML required attribute', () => {
    render(<TextInput id="name" label="Full name" required />)
    expect(screen.getByLabelText('Full name').hasAttribute('required')).toBe(false)
    expect(renderToStaticMarkup(<TextInput id="name" label="Full name" required />)).not.toMatch(/required/)
  })

  it('renders the typed value in the server HTML', () => {
    const html = renderToStaticMarkup(<TextInput id="postcode" label="Postcode" defaultValue="SW1A 1AA" />)
    expect(html).toContain('value="SW1A 1AA"')
  })

  it('maps fixed and fluid widths to GOV.UK classes', () => {
    render(
      <>
        <TextInput id="postcode" label="Postcode" width={10} />
        <TextInput id="address" label="Address line 1" width="two-thirds" />
      </>,
    )
    expect(screen.getByLabelText('Postcode').classList.contains('govuk-input--width-10')).toBe(true)
    expect(screen.getByLabelText('Address line 1').classList.contains('govuk-!-width-two-thirds')).toBe(true)
  })

  it('can be the page heading', () => {
    render(<TextInput id="name" label="What is your name?" labelIsPageHeading />)
    const heading = screen.getByRole('heading', { level: 1, name: 'What is your name?' })
    expect(within(heading).getByText('What is your name?').tagName).toBe('LABEL')
    expect(screen.getByLabelText('What is your name?').id).toBe('name')
  })

  it('shows a prefix and suffix hidden from screen readers', () => {
    render(<TextInput id="cost" label="Cost" prefix="£" suffix="per child" inputMode="decimal" />)
    const input = screen.getByLabelText('Cost')
    const wrapper = input.parentElement
    expect(wrapper?.className).toBe('govuk-input__wrapper')
    expect(
      within(wrapper as HTMLElement)
        .getByText('£')
        .getAttribute('aria-hidden'),
    ).toBe('true')
    expect(within(wrapper as HTMLElement).getByText('per child').className).toBe('govuk-input__suffix')
    expect(input.getAttribute('inputmode')).toBe('decimal')
  })
})

describe('Textarea', () => {
  it('keeps the typed text and describes the control by hint then error', () => {
    render(
      <Textarea
        id="needs"
        label="Access needs"
        hint="Tell us anything that would help"
        error="Access needs must be 500 characters or fewer"
        defaultValue="Step-free access please"
      />,
    )
    const textarea = screen.getByLabelText('Access needs') as HTMLTextAreaElement
    expect(textarea.tagName).toBe('TEXTAREA')
    expect(textarea.name).toBe('needs')
    expect(textarea.value).toBe('Step-free access please')
    expect(textarea.rows).toBe(5)
    expect(textarea.getAttribute('aria-describedby')).toBe('needs-hint needs-error')
    expect(textarea.classList.contains('govuk-textarea--error')).toBe(true)
  })
})

describe('Select', () => {
  it('renders flat options first, then optgroups, with the default selected', () => {
    render(
      <Select
        id="authority"
        label="Local authority"
        defaultValue="E09000033"
        options={[{ value: '', text: 'Choose a local authority' }]}
        groups={[
          {
            label: 'London',
            options: [
              { value: 'E09000033', text: 'Westminster' },
              { value: 'E09000007', text: 'Camden' },
            ],
          },
          { label: 'South East', options: [{ value: 'E10000014', text: 'Hampshire' }] },
        ]}
      />,
    )
    const select = screen.getByLabelText('Local authority') as HTMLSelectElement
    expect(select.tagName).toBe('SELECT')
    expect(select.value).toBe('E09000033')
    expect(select.options[0]?.text).toBe('Choose a local authority')
    const groups = select.querySelectorAll('optgroup')
    expect(Array.from(groups).map((group) => group.label)).toEqual(['London', 'South East'])
    expect(
      within(groups[0] as HTMLElement)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Westminster', 'Camden'])
  })

  it('marks the chosen option selected in the server HTML', () => {
    const html = renderToStaticMarkup(
      <Select
        id="time"
        label="Time"
        defaultValue="pm"
        options={[
          { value: 'am', text: 'Morning' },
          { value: 'pm', text: 'Afternoon' },
        ]}
      />,
    )
    expect(html).toMatch(/<option value="pm" selected="">Afternoon<\/option>/)
    expect(html).not.toMatch(/<option value="am" selected/)
  })

  it('shows the error', () => {
    render(<Select id="time" label="Time" error="Select a time" options={[{ value: 'am', text: 'Morning' }]} />)
    const select = screen.getByLabelText('Time')
    expect(select.getAttribute('aria-describedby')).toBe('time-error')
    expect(select.classList.contains('govuk-select--error')).toBe(true)
    expect(byId('time-error').textContent).toBe('Error: Select a time')
  })
})

describe('DateInput', () => {
  it('renders three labelled inputs in a named group, keeping the values typed', () => {
    render(
      <DateInput
        id="dob"
        legend="What is the child's date of birth?"
        hint="For example, 27 3 2015"
        error="Date of birth must be a real date"
        value={{ day: '31', month: '2', year: '2015' }}
      />,
    )
    const group = screen.getByRole('group', { name: "What is the child's date of birth?" })
    expect(group.tagName).toBe('FIELDSET')
    expect(group.getAttribute('aria-describedby')).toBe('dob-hint dob-error')
    const day = within(group).getByLabelText('Day') as HTMLInputElement
    const month = within(group).getByLabelText('Month') as HTMLInputElement
    const year = within(group).getByLabelText('Year') as HTMLInputElement
    expect([day.name, month.name, year.name]).toEqual(['dob-day', 'dob-month', 'dob-year'])
    expect([day.id, month.id, year.id]).toEqual(['dob-day', 'dob-month', 'dob-year'])
    expect([day.value, month.value, year.value]).toEqual(['31', '2', '2015'])
    for (const input of [day, month, year]) {
      expect(input.getAttribute('inputmode')).toBe('numeric')
      expect(input.type).toBe('text')
      expect(input.classList.contains('govuk-input--error')).toBe(true)
    }
    expect(day.classList.contains('govuk-input--width-2')).toBe(true)
    expect(month.classList.contains('govuk-input--width-2')).toBe(true)
    expect(year.classList.contains('govuk-input--width-4')).toBe(true)
    expect(within(group).getByText('Error:').parentElement?.id).toBe('dob-error')
  })

  it('uses the name prefix for names and can mark only the wrong part', () => {
    render(
      <DateInput
        id="dob"
        namePrefix="dateOfBirth"
        legend="Date of birth"
        error="Year must include 4 numbers"
        errorParts={['year']}
        autoComplete="bday"
      />,
    )
    const group = screen.getByRole('group', { name: 'Date of birth' })
    const day = within(group).getByLabelText('Day') as HTMLInputElement
    const year = within(group).getByLabelText('Year') as HTMLInputElement
    expect(day.name).toBe('dateOfBirth-day')
    expect(day.id).toBe('dob-day')
    expect(day.value).toBe('')
    expect(day.getAttribute('autocomplete')).toBe('bday-day')
    expect(day.classList.contains('govuk-input--error')).toBe(false)
    expect(year.classList.contains('govuk-input--error')).toBe(true)
  })
})

describe('Radios', () => {
  const items = [
    { value: 'yes', text: 'Yes', conditional: <p>Tell us about them below</p> },
    { value: 'no', text: 'No', hint: 'You can add them later' },
    { value: 'unsure', text: 'Not sure' },
  ]

  it('gives the first radio the group id and numbers the others', () => {
    render(<Radios id="siblings" legend="Are any brothers or sisters coming?" items={items} defaultValue="no" />)
    const group = screen.getByRole('group', { name: 'Are any brothers or sisters coming?' })
    const radios = within(group).getAllByRole('radio') as HTMLInputElement[]
    expect(radios.map((radio) => radio.id)).toEqual(['siblings', 'siblings-2', 'siblings-3'])
    expect(radios.every((radio) => radio.name === 'siblings')).toBe(true)
    expect(screen.getByLabelText('No')).toBe(radios[1])
    expect(radios.map((radio) => radio.checked)).toEqual([false, true, false])
    expect(radios[1]?.getAttribute('aria-describedby')).toBe('siblings-2-item-hint')
    expect(byId('siblings-2-item-hint').textContent).toBe('You can add them later')
  })

  it('renders conditional content, hidden by the class only when its radio is not checked', () => {
    render(<Radios id="siblings" legend="Siblings?" items={items} defaultValue="no" />)
    const conditional = byId('conditional-siblings')
    expect(conditional.textContent).toBe('Tell us about them below')
    expect(conditional.className).toBe('govuk-radios__conditional govuk-radios__conditional--hidden')
    expect(screen.getByLabelText('Yes').getAttribute('data-aria-controls')).toBe('conditional-siblings')
    cleanup()
    render(<Radios id="siblings" legend="Siblings?" items={items} defaultValue="yes" />)
    expect(byId('conditional-siblings').className).toBe('govuk-radios__conditional')
  })

  it('shows the error and describes the fieldset by hint then error', () => {
    render(
      <Radios
        id="siblings"
        legend="Siblings?"
        legendSize="m"
        hint="Select one option"
        error="Select yes if any brothers or sisters are coming"
        items={items}
        inline
        small
      />,
    )
    const group = screen.getByRole('group', { name: 'Siblings?' })
    expect(group.getAttribute('aria-describedby')).toBe('siblings-hint siblings-error')
    expect(group.closest('.govuk-form-group')?.classList.contains('govuk-form-group--error')).toBe(true)
    expect(within(group).getByText('Siblings?').className).toBe('govuk-fieldset__legend govuk-fieldset__legend--m')
    expect(byId('siblings-error').textContent).toBe('Error: Select yes if any brothers or sisters are coming')
    expect(
      within(group)
        .getAllByRole('radio')
        .some((radio) => (radio as HTMLInputElement).checked),
    ).toBe(false)
    const list = screen.getByLabelText('Yes').closest('.govuk-radios')
    expect(list?.className).toBe('govuk-radios govuk-radios--inline govuk-radios--small')
  })
})

describe('Checkboxes', () => {
  it('checks the default values and follows the id scheme', () => {
    render(
      <Checkboxes
        id="interests"
        legend="What would the child like to do?"
        hint="Select all that apply"
        items={[
          { value: 'art', text: 'Art' },
          { value: 'sport', text: 'Sport', hint: 'Outdoor games' },
          { value: 'music', text: 'Music' },
        ]}
        defaultValues={['art', 'music']}
      />,
    )
    const group = screen.getByRole('group', { name: 'What would the child like to do?' })
    expect(group.getAttribute('aria-describedby')).toBe('interests-hint')
    const boxes = within(group).getAllByRole('checkbox') as HTMLInputElement[]
    expect(boxes.map((box) => box.id)).toEqual(['interests', 'interests-2', 'interests-3'])
    expect(boxes.every((box) => box.name === 'interests')).toBe(true)
    expect(boxes.map((box) => box.checked)).toEqual([true, false, true])
    expect(boxes[1]?.getAttribute('aria-describedby')).toBe('interests-2-item-hint')
    expect(boxes[0]?.hasAttribute('aria-describedby')).toBe(false)
  })

  it('as a single checkbox without a legend, describes the checkbox by hint and error', () => {
    render(
      <Checkboxes
        id="consent"
        hint="We need this to take a booking"
        error="Confirm you agree to the terms"
        items={[{ value: 'yes', text: 'I agree to the terms' }]}
      />,
    )
    expect(screen.queryByRole('group')).toBeNull()
    const box = screen.getByLabelText('I agree to the terms') as HTMLInputElement
    expect(box.id).toBe('consent')
    expect(box.checked).toBe(false)
    expect(box.getAttribute('aria-describedby')).toBe('consent-hint consent-error')
    expect(byId('consent-error').textContent).toBe('Error: Confirm you agree to the terms')
  })
})

describe('Fieldset', () => {
  it('uses the legend as the group name and can be the page heading', () => {
    render(
      <Fieldset legend="What is your address?" isPageHeading id="address" hint="Your home address">
        <TextInput id="line1" label="Address line 1" />
      </Fieldset>,
    )
    const group = screen.getByRole('group', { name: 'What is your address?' })
    expect(within(group).getByRole('heading', { level: 1, name: 'What is your address?' })).toBeTruthy()
    expect(group.getAttribute('aria-describedby')).toBe('address-hint')
    expect(within(group).getByLabelText('Address line 1')).toBeTruthy()
  })
})

describe('Button', () => {
  it('is a submit button that asks to prevent double clicks', () => {
    render(
      <Button variant="secondary" name="intent" value="save">
        Save and come back later
      </Button>,
    )
    const button = screen.getByRole('button', { name: 'Save and come back later' })
    expect(button.getAttribute('type')).toBe('submit')
    expect(button.className).toBe('govuk-button govuk-button--secondary')
    expect(button.getAttribute('data-module')).toBe('govuk-button')
    expect(button.getAttribute('data-prevent-double-click')).toBe('true')
    expect(button.getAttribute('name')).toBe('intent')
    expect(button.getAttribute('value')).toBe('save')
  })

  it('can leave out double-click prevention', () => {
    render(
      <Button variant="warning" type="button" preventDoubleClick={false}>
        Cancel booking
      </Button>,
    )
    const button = screen.getByRole('button', { name: 'Cancel booking' })
    expect(button.className).toBe('govuk-button govuk-button--warning')
    expect(button.getAttribute('type')).toBe('button')
    expect(button.hasAttribute('data-prevent-double-click')).toBe(false)
  })

  it('ButtonLink is a plain link with button role', () => {
    render(
      <ButtonLink href="/book" isStartButton>
        Start now
      </ButtonLink>,
    )
    const link = screen.getByRole('button', { name: 'Start now' })
    expect(link.tagName).toBe('A')
    expect(link.getAttribute('href')).toBe('/book')
    expect(link.getAttribute('draggable')).toBe('false')
    expect(link.className).toBe('govuk-button govuk-button--start')
  })
})

describe('Table', () => {
  it('marks numeric cells and uses column and row header scopes', () => {
    render(
      <Table
        caption="Places left"
        captionSize="m"
        head={[{ text: 'Activity' }, { text: 'Places', numeric: true }]}
        rows={[
          [{ text: 'Art club' }, { text: '4', numeric: true }],
          [{ text: 'Football' }, { text: '0', numeric: true }],
        ]}
        firstCellIsHeader
      />,
    )
    const table = screen.getByRole('table', { name: 'Places left' })
    const columnHeaders = within(table).getAllByRole('columnheader')
    expect(columnHeaders.map((th) => th.getAttribute('scope'))).toEqual(['col', 'col'])
    expect(columnHeaders[1]?.className).toBe('govuk-table__header govuk-table__header--numeric')
    const rowHeader = within(table).getByRole('rowheader', { name: 'Art club' })
    expect(rowHeader.getAttribute('scope')).toBe('row')
    const cell = within(table).getByRole('cell', { name: '4' })
    expect(cell.className).toBe('govuk-table__cell govuk-table__cell--numeric')
    expect(table.querySelector('caption')?.className).toBe('govuk-table__caption govuk-table__caption--m')
  })

  it('reflows on a phone: each cell carries its column name for sight only, and an empty cell is hidden', () => {
    render(
      <Table
        caption="Booked"
        head={[{ text: 'Child' }, { text: 'Support needs' }]}
        rows={[[{ text: 'Ava' }, { text: '' }]]}
      />,
    )
    const table = screen.getByRole('table', { name: 'Booked' })
    expect(table.className).toBe('govuk-table app-table--reflow')
    // Explicit roles keep the table a table for assistive technology when CSS makes it blocks.
    expect(table.getAttribute('role')).toBe('table')
    const cell = within(table).getByRole('cell', { name: 'Ava' })
    expect(cell.getAttribute('role')).toBe('cell')
    const label = cell.querySelector('.app-table__label')!
    expect(label.textContent).toBe('Child')
    expect(label.getAttribute('aria-hidden')).toBe('true')
    const empty = within(table).getAllByRole('cell')[1]!
    expect(empty.className).toBe('govuk-table__cell app-table__cell--empty')
  })

  it('uses td for every cell unless asked for row headers', () => {
    render(<Table head={[{ text: 'Name' }]} rows={[[{ text: 'Sam' }], [{ text: 'Alex', header: true }]]} />)
    expect(screen.getByRole('cell', { name: 'Sam' }).tagName).toBe('TD')
    expect(screen.getByRole('rowheader', { name: 'Alex' }).getAttribute('scope')).toBe('row')
  })
})

describe('SummaryList', () => {
  it('gives change links visually hidden context', () => {
    render(
      <SummaryList
        rows={[
          {
            key: 'Name',
            value: 'Sam Smith',
            action: { href: '/book/name', text: 'Change', visuallyHiddenText: 'name' },
          },
          { key: 'Activity', value: 'Art club' },
        ]}
      />,
    )
    const link = screen.getByRole('link', { name: 'Change name' })
    expect(link.getAttribute('href')).toBe('/book/name')
    expect(within(link).getByText('name').className).toBe('govuk-visually-hidden')
    const activityRow = screen.getByText('Activity').parentElement
    expect(activityRow?.className).toBe('govuk-summary-list__row govuk-summary-list__row--no-actions')
    expect(screen.getByText('Sam Smith').tagName).toBe('DD')
  })
})

describe('NotificationBanner', () => {
  it('is a region labelled by its title by default', () => {
    render(<NotificationBanner>Bookings close on Friday</NotificationBanner>)
    const region = screen.getByRole('region', { name: 'Important' })
    expect(region.className).toBe('govuk-notification-banner')
    expect(within(region).getByText('Bookings close on Friday').className).toBe('govuk-notification-banner__heading')
  })

  it('as a success banner is an alert titled Success', () => {
    render(<NotificationBanner success>Your booking has been cancelled</NotificationBanner>)
    const alert = screen.getByRole('alert')
    expect(alert.className).toBe('govuk-notification-banner govuk-notification-banner--success')
    expect(within(alert).getByRole('heading', { name: 'Success' })).toBeTruthy()
    expect(alert.getAttribute('aria-labelledby')).toBe('govuk-notification-banner-title')
  })
})

describe('content components', () => {
  it('Panel shows a confirmation heading and body', () => {
    render(<Panel title="Booking confirmed">Your reference is ABC123</Panel>)
    const heading = screen.getByRole('heading', { level: 1, name: 'Booking confirmed' })
    expect(heading.parentElement?.className).toBe('govuk-panel govuk-panel--confirmation')
    expect(screen.getByText('Your reference is ABC123').className).toBe('govuk-panel__body')
  })

  it('Tag uses the colour class', () => {
    render(<Tag colour="red">Fully booked</Tag>)
    expect(screen.getByText('Fully booked').className).toBe('govuk-tag govuk-tag--red')
  })

  it('WarningText prefixes the text with hidden "Warning"', () => {
    render(<WarningText>You cannot change this later</WarningText>)
    const strong = screen.getByText('You cannot change this later', { exact: false })
    expect(strong.textContent).toBe('WarningYou cannot change this later')
    expect(within(strong).getByText('Warning').className).toBe('govuk-visually-hidden')
  })

  it('InsetText, BackLink and Details render their GOV.UK markup', () => {
    render(
      <>
        <BackLink href="/activities" />
        <InsetText>Places are limited</InsetText>
        <Details summary="Help with access">Call us</Details>
      </>,
    )
    const back = screen.getByRole('link', { name: 'Back' })
    expect(back.getAttribute('href')).toBe('/activities')
    expect(back.className).toBe('govuk-back-link')
    expect(screen.getByText('Places are limited').className).toBe('govuk-inset-text')
    const summary = screen.getByText('Help with access')
    expect(summary.className).toBe('govuk-details__summary-text')
    expect(summary.closest('details')?.className).toBe('govuk-details')
    expect(screen.getByText('Call us').className).toBe('govuk-details__text')
  })
})

describe('layout', () => {
  it('SkipLink jumps to the main content', () => {
    render(<SkipLink />)
    const link = screen.getByRole('link', { name: 'Skip to main content' })
    expect(link.getAttribute('href')).toBe('#main-content')
    expect(link.className).toBe('govuk-skip-link')
    expect(link.getAttribute('data-module')).toBe('govuk-skip-link')
  })

  it('Header shows the service name link and no crown or GOV.UK logotype, then the service navigation', () => {
    render(
      <Header
        serviceName="Join In"
        navigation={[
          { href: '/activities', text: 'Activities', active: true },
          { href: '/bookings', text: 'Your bookings' },
        ]}
      />,
    )
    const banner = screen.getByRole('banner')
    expect(banner.querySelector('svg')).toBeNull()
    expect(banner.textContent).not.toMatch(/GOV\.UK/)
    const serviceLink = within(banner).getByRole('link', { name: 'Join In' })
    expect(serviceLink.getAttribute('href')).toBe('/')
    expect(serviceLink.className).toBe('govuk-header__link govuk-header__service-name')
    // GOV.UK service navigation after the govuk-header block, in the same header landmark
    expect(banner.firstElementChild?.className).toBe('govuk-header')
    const nav = within(banner).getByRole('navigation', { name: 'Menu' })
    expect(banner.firstElementChild?.contains(nav)).toBe(false)
    expect(nav.className).toBe('govuk-service-navigation__wrapper')
    expect(nav.closest('[data-module]')?.getAttribute('data-module')).toBe('govuk-service-navigation')
    // The Menu button is hidden until GOV.UK Frontend's script shows it on a phone, so without
    // scripts the list is shown.
    const toggle = nav.querySelector('button')!
    expect(toggle.hidden).toBe(true)
    expect(toggle.getAttribute('aria-controls')).toBe('navigation')
    expect(toggle.className).toBe('govuk-service-navigation__toggle govuk-js-service-navigation-toggle')
    expect(toggle.textContent).toBe('Menu')
    const list = within(nav).getByRole('list')
    expect(list.id).toBe('navigation')
    expect(list.hasAttribute('hidden')).toBe(false)
    expect(list.className).toBe('govuk-service-navigation__list')
    const active = within(nav).getByRole('link', { name: 'Activities' })
    expect(active.getAttribute('aria-current')).toBe('page')
    expect(active.querySelector('strong')?.className).toBe('govuk-service-navigation__active-fallback')
    expect(active.parentElement?.className).toBe(
      'govuk-service-navigation__item govuk-service-navigation__item--active',
    )
    expect(within(nav).getByRole('link', { name: 'Your bookings' }).hasAttribute('aria-current')).toBe(false)
  })

  it('Header holds its children (the phase banner) in its landmark, after the navigation', () => {
    render(
      <Header serviceName="Join In" navigation={[{ href: '/', text: 'Activities' }]}>
        <PhaseBanner>This is a new service</PhaseBanner>
      </Header>,
    )
    const banner = screen.getByRole('banner')
    const phase = within(banner).getByText('This is a new service')
    const nav = within(banner).getByRole('navigation', { name: 'Menu' })
    expect(nav.compareDocumentPosition(phase) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
  })

  it('Header without navigation has no nav', () => {
    render(<Header serviceName="Join In" serviceHref="/start" />)
    expect(screen.queryByRole('navigation')).toBeNull()
    expect(screen.getByRole('link', { name: 'Join In' }).getAttribute('href')).toBe('/start')
  })

  it('PhaseBanner shows the phase tag', () => {
    render(<PhaseBanner>This is a new service</PhaseBanner>)
    expect(screen.getByText('Beta').className).toBe('govuk-tag govuk-phase-banner__content__tag')
    expect(screen.getByText('This is a new service').className).toBe('govuk-phase-banner__text')
  })

  it('Footer lists support links and text, without the licence or crown copyright', () => {
    render(
      <Footer
        links={[
          { href: '/accessibility', text: 'Accessibility statement' },
          { href: '/privacy', text: 'Privacy' },
        ]}
      >
        Run by the Participation and Engagement team
      </Footer>,
    )
    const footer = screen.getByRole('contentinfo')
    expect(
      within(footer)
        .getAllByRole('link')
        .map((link) => link.getAttribute('href')),
    ).toEqual(['/accessibility', '/privacy'])
    expect(within(footer).getByText('Run by the Participation and Engagement team').className).toBe(
      'govuk-footer__meta-custom',
    )
    expect(footer.textContent).not.toMatch(/Open Government Licence|Crown copyright/)
    expect(footer.querySelector('svg')).toBeNull()
  })
})

describe('Pagination', () => {
  afterEach(cleanup)

  it('links to the pages either side, each named for a screen reader, and shows nothing with one page', () => {
    render(
      <Pagination
        label="Pages of the audit log"
        prev={{ href: '/staff/audit?page=1', title: 'Newer', hiddenSuffix: ' entries', label: 'Page 1 of 3' }}
        next={{ href: '/staff/audit?page=3', title: 'Older', hiddenSuffix: ' entries', label: 'Page 3 of 3' }}
      />,
    )
    const nav = screen.getByRole('navigation', { name: 'Pages of the audit log' })
    const links = within(nav).getAllByRole('link')
    expect(links.map((l) => [l.getAttribute('href'), l.getAttribute('rel'), l.textContent])).toEqual([
      ['/staff/audit?page=1', 'prev', 'Newer entries:Page 1 of 3'],
      ['/staff/audit?page=3', 'next', 'Older entries:Page 3 of 3'],
    ])
    expect(nav.querySelectorAll('svg[aria-hidden="true"]')).toHaveLength(2)
    cleanup()
    expect(renderToStaticMarkup(<Pagination label="Pages" />)).toBe('')
  })
})
