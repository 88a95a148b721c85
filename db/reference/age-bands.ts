// The default age bands of the quarterly report; admins can change them in settings.
export const DEFAULT_AGE_BANDS = [
  { label: '0 to 4', min_age: 0, max_age: 4 },
  { label: '5 to 7', min_age: 5, max_age: 7 },
  { label: '8 to 11', min_age: 8, max_age: 11 },
  { label: '12 to 15', min_age: 12, max_age: 15 },
  { label: '16 to 18', min_age: 16, max_age: 18 },
  { label: '19 and over', min_age: 19, max_age: null },
] as const
