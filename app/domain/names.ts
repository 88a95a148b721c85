/** "Sam", "Sam and Ava", "Sam, Ava and Leo": children's names in a sentence. */
export function joinNames(list: string[]): string {
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`
}
