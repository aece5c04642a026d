/**
 * Postal-domain user dictionary for jieba: multi-character terms of the corpus (bulletins and
 * postal / express-delivery / work-safety regulations) that the general dictionary splits apart.
 * Keeping them whole lets a query such as "快递末端网点" match the term as one token; the
 * character bigrams added by the tokenizer still match the parts.
 */
export const POSTAL_TERMS: readonly string[] = [
  // express delivery & postal operations
  "寄递渠道", "寄递物品", "寄递企业", "寄递服务", "寄递安全", "实名收寄", "收寄验视", "过机安检",
  "快递末端网点", "末端网点", "经营快递业务", "快递业务经营许可", "快递服务站", "智能快件箱",
  "快件箱", "快递员", "快件", "快递企业", "快递服务", "快递业", "快递业务", "邮件快件",
  "邮政企业", "邮政普遍服务", "邮政设施", "邮政编码", "邮政专用品", "邮政汇兑", "邮政管理部门",
  "邮政管理局", "国家邮政局", "邮政业", "邮政通信", "邮政服务", "邮政网点", "邮政信筒", "信报箱",
  "禁寄物品", "限寄物品", "禁止寄递", "违禁物品", "危险化学品", "易燃易爆", "安全保障",
  "安全生产", "安全服务保障", "安全检查", "安检机", "进京邮件", "进京通道", "邮路安保",
  "亚欧博览会", "分拣中心", "揽收", "投递", "无法投递", "无着邮件", "保价", "损失赔偿",
  "用户信息", "个人信息", "信息安全", "应急预案", "突发事件", "反恐怖主义", "恐怖活动",
  "从业人员", "分支机构", "营业执照", "备案", "许可证", "行政处罚", "罚款", "责令改正",
  "执法检查", "监督检查", "督导检查", "电视电话会议", "专项整治", "三项制度", "隐患排查",
  "生产经营单位", "安全生产责任制", "抗战胜利", "纪念活动", "协议用户", "邮政速递物流",
];

/** The dictionary in jieba's text format ("word freq" per line). */
export function postalDictText(freq = 200_000): string {
  return POSTAL_TERMS.map((t) => `${t} ${freq}`).join("\n") + "\n";
}
