// With JavaScript on, turns the council <select> into GOV.UK's accessible autocomplete so people
// can type "Med…" instead of scrolling 157 councils. Without JavaScript the plain select stays.
import { useEffect } from 'react'

export function useCouncilSearch(selectId: string): void {
  useEffect(() => {
    const select = document.getElementById(selectId)
    if (!(select instanceof HTMLSelectElement) || select.dataset.enhanced === 'true') return
    select.dataset.enhanced = 'true'
    const describedBy = select.getAttribute('aria-describedby')
    let cancelled = false
    void import('accessible-autocomplete').then(({ default: accessibleAutocomplete }) => {
      if (cancelled || !select.isConnected) return
      accessibleAutocomplete.enhanceSelectElement({
        selectElement: select,
        defaultValue: '',
        showAllValues: true,
        dropdownArrow: () => '',
        tNoResults: () => 'No council found. Check the spelling or choose Outside the UK',
      })
      // The autocomplete takes the select's id; keep the hint and any error read out with it.
      const input = document.getElementById(selectId)
      if (input && describedBy) input.setAttribute('aria-describedby', describedBy)
    })
    return () => {
      cancelled = true
    }
  }, [selectId])
}
