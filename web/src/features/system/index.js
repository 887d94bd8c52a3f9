// 系统管理: 参数设置 and 字典管理.
export default {
  name: 'system',
  messages: { 'zh-CN': {}, en: {} },
  routes: [],
  nav: [],
}
