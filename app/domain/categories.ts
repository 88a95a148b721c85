// The categories activities are filed under: the kinds of session the team runs (seed documents).
export const ACTIVITY_CATEGORIES = [
  'Arts and crafts',
  'Science experiments',
  'Dance and music',
  'Animal encounters',
  'Bingo and quizzes',
  'Gaming',
  'Cooking and baking',
  'Sport and movement',
  'Stories and drama',
  'Adoptables meeting',
  'Other',
] as const

export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number]
