// The audit pages' messages, zh-CN first.
export default {
  'zh-CN': {
    audit: {
      actionCol: '操作',
      title: '审计日志',
      actor: '操作人',
      action: '操作（前缀）',
      from: '开始日期',
      to: '结束日期',
      at: '时间',
      ip: 'IP',
      target: '对象',
      result: '结果',
      summary: '摘要',
      verify: '校验哈希链',
      intact: '哈希链完整，共 {n} 条记录，未发现篡改。',
      broken: '哈希链在第 {id} 条记录处断开：{why}',
    },
  },
  en: {
    audit: {
      actionCol: 'Action',
      title: 'Audit trail',
      actor: 'Actor',
      action: 'Action (prefix)',
      from: 'From',
      to: 'To',
      at: 'Time',
      ip: 'IP',
      target: 'Target',
      result: 'Result',
      summary: 'Summary',
      verify: 'Verify the hash chain',
      intact: 'The chain is intact: {n} records, no tampering found.',
      broken: 'The chain breaks at record {id}: {why}',
    },
  },
}
