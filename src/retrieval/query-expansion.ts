/**
 * Query expansion for the keyword side: colloquial questions are rewritten towards the wording of
 * statutes and bulletins. Two hand-made tables (no library offers a postal-law thesaurus):
 *
 * - ANSWER_FORMS: what a question word asks for and how the law writes it ("几天" asks for a
 *   duration, which statutes write "…日内"; "罚多少" asks for a penalty: "罚款", "处…以下").
 * - COLLOQUIAL: everyday words for things the regulations name formally ("快递小哥" ->
 *   "快递从业人员", "外包" -> "委托", "邮筒" -> "信筒").
 *
 * Expansion terms are added with a lower weight than the user's own words, never replace them.
 * Input must already be normalised (simplified characters).
 */

/** [pattern, statutory terms]. */
export const ANSWER_FORMS: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/几天|多少天|几日|多少日|多久|多长时间|多少时间|什么时候|期限|时限|最迟|最晚|几个工作日|提前几天/, ["日内", "之日起", "期限"]],
  [/罚多少|怎么罚|如何处罚|怎么处罚|怎么处理|处罚|罚款|罚钱|罚金|被罚/, ["罚款", "处", "以下", "责令改正"]],
  [/赔多少|怎么赔|赔偿|赔钱|谁来赔|谁赔|承担.*责任/, ["赔偿", "责任", "承担"]],
  [/多少钱|几块钱|收费|交费|交钱|费用/, ["费", "元", "收取"]],
  [/几个人|多少人|几名/, ["人以上", "名"]],
  [/能不能|可不可以|可以吗|行不行|允许|能否|是否可以/, ["不得", "可以", "禁止"]],
  [/要不要|需不需要|必须|是否需要|有没有义务/, ["应当", "必须"]],
  [/谁负责|由谁|哪个部门|谁来管|谁管|向谁/, ["负责", "部门", "管理"]],
  [/怎么办|如何处理|怎么处理/, ["处理", "应当"]],
];

/** [colloquial pattern, formal terms]. */
export const COLLOQUIAL: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/快递小哥|快递哥|送快递的|快递员|送件员|派件员/, ["快递从业人员", "收派员", "快件收派人员"]],
  [/快递公司|快递企业|快递网点老板/, ["经营快递业务的企业", "快递企业"]],
  [/邮局/, ["邮政企业", "邮政营业场所"]],
  [/快递柜|丰巢/, ["智能快件箱", "智能快递柜"]],
  [/驿站|代收点/, ["快递服务站", "末端网点"]],
  [/邮筒|邮箱/, ["信筒", "信箱"]],
  [/外包|找别人|交给别的公司/, ["委托"]],
  [/撤掉|撤了|关掉|关闭|关门|不干了|停业|歇业/, ["撤销", "停止", "暂停", "停业"]],
  [/坏了|损坏|破了/, ["损坏", "毁损"]],
  [/丢了|丢件|寄丢|弄丢/, ["丢失"]],
  [/拆开|私拆|偷看/, ["私自开拆", "开拆"]],
  [/卖了|倒卖|出卖|泄露|泄漏/, ["出售", "泄露", "非法提供"]],
  [/客户信息|用户信息|个人信息|隐私/, ["用户信息", "个人信息"]],
  [/出国|国外|境外|寄到国外/, ["国际", "境外"]],
  [/监控录像|监控视频|录像/, ["监控资料", "视频监控"]],
  [/占道费|占路费/, ["道路占用费", "占用"]],
  [/反恐法/, ["反恐怖主义法", "恐怖"]],
  [/安检/, ["安全检查", "过机安检"]],
  [/实名/, ["实名收寄", "身份"]],
  [/开箱|验货|检查包裹/, ["验视", "收寄验视"]],
  [/违禁品|不能寄|禁止寄|危险品/, ["禁止寄递", "禁寄物品", "危险物品"]],
  [/工人|员工|职工|工作人员/, ["从业人员"]],
  [/老板|一把手|第一责任人/, ["主要负责人"]],
  [/险情|紧急情况|危险/, ["紧急情况", "危及人身安全"]],
  [/跑出来|逃生|撤出|逃离/, ["撤离", "停止作业"]],
  [/撞伤|撞了人|伤人|出车祸|交通事故/, ["损害", "交通事故"]],
  [/三轮车|电动车/, ["电动三轮车"]],
  [/头盔/, ["安全头盔", "佩戴"]],
  [/物业/, ["物业服务企业"]],
  [/汇款|取钱/, ["汇款", "兑付"]],
  [/平信|挂号信/, ["信件", "给据邮件"]],
  [/投诉|申诉|不满意/, ["投诉", "申诉"]],
  [/查询|能查|查件/, ["查询"]],
  [/审批|批准|许可/, ["申请", "批准", "许可"]],
  [/执照|许可证/, ["许可证", "经营许可"]],
];

export interface ExpandedQuery {
  /** The query itself. */
  query: string;
  /** Extra terms (statutory wording), without duplicates of the query's own text. */
  terms: string[];
}

export function expandQuery(normalizedQuery: string, tables: { answerForms?: boolean; colloquial?: boolean } = {}): ExpandedQuery {
  const terms = new Set<string>();
  const apply = (table: ReadonlyArray<readonly [RegExp, readonly string[]]>) => {
    for (const [re, add] of table) if (re.test(normalizedQuery)) for (const t of add) if (!normalizedQuery.includes(t)) terms.add(t);
  };
  if (tables.answerForms !== false) apply(ANSWER_FORMS);
  if (tables.colloquial !== false) apply(COLLOQUIAL);
  return { query: normalizedQuery, terms: [...terms] };
}
