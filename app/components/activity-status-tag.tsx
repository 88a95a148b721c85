import type { ActivityStatus } from '../../db/schema'
import { Tag } from './tag'

export function ActivityStatusTag({ status }: { status: ActivityStatus }) {
  if (status === 'published') return <Tag colour="green">Published</Tag>
  if (status === 'draft') return <Tag colour="grey">Draft</Tag>
  return <Tag colour="red">Cancelled</Tag>
}
