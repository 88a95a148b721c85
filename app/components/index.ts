export { BackLink } from './back-link'
export { Button, ButtonGroup, ButtonLink, type ButtonVariant } from './button'
export { Checkboxes, type CheckboxItem } from './checkboxes'
export { DateInput, type DateInputValue, type DatePart } from './date-input'
export { Details } from './details'
export { ErrorMessage } from './error-message'
export { ErrorSummary, errorList, type ErrorLink } from './error-summary'
export { Fieldset, type LegendSize } from './fieldset'
export { FormGroup, describedBy } from './form-group'
export { Hint } from './hint'
export { InsetText } from './inset-text'
export { Label, type LabelSize } from './label'
export {
  Footer,
  Header,
  PhaseBanner,
  ServiceNavigation,
  SkipLink,
  type FooterLink,
  type NavigationItem,
} from './layout'
export { NotificationBanner } from './notification-banner'
export { Pagination, type PaginationLink } from './pagination'
export { Panel } from './panel'
export { Radios, type RadioItem } from './radios'
export { RecoveryCodes } from './recovery-codes'
export { Select, type SelectGroup, type SelectOption } from './select'
export { SummaryList, type SummaryListAction, type SummaryListRow } from './summary-list'
export { ReflowCell, ReflowLabel, Table, type CaptionSize, type TableCell, type TableHeadCell } from './table'
export { Tag, type TagColour } from './tag'
export { TextInput, type InputWidth, type TextInputProps } from './text-input'
export { Textarea } from './textarea'
export { WarningText } from './warning-text'
export { SessionChecklist } from './session-checklist'
