// The parts of alphagov's accessible-autocomplete we use (it ships no types).
declare module 'accessible-autocomplete' {
  interface EnhanceSelectOptions {
    selectElement: HTMLSelectElement
    defaultValue?: string
    showAllValues?: boolean
    dropdownArrow?: () => string
    tNoResults?: () => string
  }
  const accessibleAutocomplete: {
    enhanceSelectElement(options: EnhanceSelectOptions): void
  }
  export default accessibleAutocomplete
}
