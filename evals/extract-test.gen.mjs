// Generator of evals/extract-test.jsonl (frozen test set, notices in evals/extract-test/): working days with chinese-days;
// checks that every item/action occurs in its notice and the owner stands in the action's sentence. Run from the repo root.
import cd from "chinese-days";
import { readFileSync } from "node:fs";
const A = (d, n) => {
  const t = new Date(d + "T00:00:00Z");
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
};
const wd = (d, n) => {
  let x = d,
    k = 0;
  while (k < n) {
    x = A(x, 1);
    if (cd.isWorkday(x)) k++;
  }
  return x;
};
const nextwd = (d) => wd(d, 1);
const dl = (end, item, kind, calc, extra = {}) => ({
  ...(extra.start ? { start: extra.start } : {}),
  end,
  item,
  kind,
  ...extra,
  calc,
});
const act = (owner, action, end) => ({ owner, action, ...(end ? { end } : {}) });
const rows = [
  {
    id: "t01",
    file: "extract-test/t01-shequ-huodong.txt",
    ref: "2024-08-12",
    kinds: ["event-relative", "background-last-year"],
    gold: {
      deadlines: [
        dl("2024-10-31", "开展“邮政服务进社区”活动", "span", "date:2024-10-31", { start: "2024-09-01" }),
        dl("2024-08-23", "活动方案", "before", "date:2024-08-23"),
        dl("2024-08-31", "确定参与网点名单", "before", "monthend:2024-08"),
        dl(wd("2024-10-31", 10), "活动总结", "within", "workdays:2024-10-31+10"),
      ],
      actions: [
        act("省局", "开展“邮政服务进社区”活动", "2024-10-31"),
        act("各设区市局", "将活动方案报省局市场监管处", "2024-08-23"),
        act("各寄递企业江苏省分公司", "确定参与网点名单", "2024-08-31"),
        act("各设区市局", "将活动总结报省局市场监管处", wd("2024-10-31", 10)),
        act("各寄递企业", "公示收费标准和投诉电话"),
        act("各设区市局", "联合街道开展寄递服务咨询日活动"),
      ],
    },
  },
  {
    id: "t02",
    file: "extract-test/t02-xunqi-anquan.txt",
    ref: "2024-06-03",
    kinds: ["headings", "bare-recurrence", "background"],
    gold: {
      deadlines: [
        dl("2024-06-15", "防汛隐患排查", "before", "date:2024-06-15"),
        dl("2024-06-20", "防汛应急预案", "before", "date:2024-06-20"),
        dl("2024-06-05", "运营情况", "recurring", "daily:2024-06-05", {
          time: "17:00",
          recurrence: "FREQ=DAILY",
          until: "2024-09-30",
        }),
        dl("2024-10-15", "汛期工作总结", "before", "date:2024-10-15"),
      ],
      actions: [
        act("各寄递企业", "完成分拨中心、营业网点防汛隐患排查", "2024-06-15"),
        act("各市局", "修订完善防汛应急预案", "2024-06-20"),
        act("各市局", "将辖区寄递企业运营情况报省局应急办", "2024-06-05"),
        act("各寄递企业山东省分公司", "开展一次安全会商"),
        act("各市局", "将汛期工作总结报省局应急办", "2024-10-15"),
      ],
    },
  },
  {
    id: "t03",
    file: "extract-test/t03-baozhuang-jiancha.txt",
    ref: "2024-03-18",
    kinds: ["two-deadlines-one-sentence"],
    gold: {
      deadlines: [
        dl("2024-03-29", "完成辖区企业摸底", "before", "date:2024-03-29"),
        dl("2024-04-15", "摸底情况", "before", "date:2024-04-15"),
        dl("2024-04-10", "包装自查", "before", "date:2024-04-10"),
        dl("2024-04-20", "整改报告", "before", "date:2024-04-20"),
        dl("2024-05-20", "组织抽查", "span", "dekad:2024-05:2", { start: "2024-05-11" }),
      ],
      actions: [
        act("各市局", "完成辖区企业摸底", "2024-03-29"),
        act("各市局", "将摸底情况报省局", "2024-04-15"),
        act("各寄递企业", "完成包装自查", "2024-04-10"),
        act("各寄递企业", "提交整改报告", "2024-04-20"),
        act("省局", "组织抽查", "2024-05-20"),
      ],
    },
  },
  {
    id: "t04",
    file: "extract-test/t04-shuangshiyi.txt",
    ref: "2024-10-21",
    kinds: ["owner-change", "recurrence", "background-last-year"],
    gold: {
      deadlines: [
        dl("2024-10-31", "旺季保障方案备案", "before", "date:2024-10-31"),
        dl("2024-11-05", "临时用工培训", "before", "date:2024-11-05"),
        dl("2024-11-01", "报送前一日业务量", "recurring", "daily:2024-11-01", {
          time: "12:00",
          recurrence: "FREQ=DAILY",
          until: "2024-11-20",
        }),
        dl("2024-11-04", "汇总报市局", "recurring", "weekly:MO:2024-11-01", {
          recurrence: "FREQ=WEEKLY;BYDAY=MO",
          until: "2024-11-20",
        }),
        dl("2024-11-30", "开展暗访", "span", "dekad:2024-11:3", { start: "2024-11-21" }),
      ],
      actions: [
        act("各区县局", "完成旺季保障方案备案", "2024-10-31"),
        act("各寄递企业", "完成临时用工培训", "2024-11-05"),
        act("各寄递企业", "报送前一日业务量", "2024-11-01"),
        act("各区县局", "汇总报市局", "2024-11-04"),
        act("市局", "对部分网点开展暗访", "2024-11-30"),
      ],
    },
  },
  {
    id: "t05",
    file: "extract-test/t05-jidu-jiance.txt",
    kinds: ["undated-title-period"],
    gold: {
      deadlines: [
        dl("2024-07-10", "监测点名单", "before", "date:2024-07-10"),
        dl("2024-08-15", "中期监测数据", "before", "date:2024-08-15"),
        dl("2024-09-30", "完成全部监测任务", "before", "quarterend:2024-07"),
        dl("2024-09-20", "组织数据抽核", "span", "dekad:2024-09:2", { start: "2024-09-11" }),
      ],
      actions: [
        act("各市局", "报送本季度监测点名单", "2024-07-10"),
        act("各市局", "报送中期监测数据", "2024-08-15"),
        act("各寄递企业", "完成全部监测任务", "2024-09-30"),
        act("省局", "组织数据抽核", "2024-09-20"),
      ],
    },
  },
  {
    id: "t06",
    file: "extract-test/t06-yuandan-chunjie.txt",
    ref: "2024-12-16",
    kinds: ["december-january", "holiday-relative", "background-holiday"],
    gold: {
      deadlines: [
        dl("2024-12-27", "值班人员名单", "before", "date:2024-12-27"),
        dl("2025-01-10", "春节期间服务安排", "before", "date:2025-01-10"),
        dl("2025-01-28", "当日值班情况", "recurring", "daily:2025-01-28", {
          time: "17:00",
          recurrence: "FREQ=DAILY",
          until: "2025-02-04",
        }),
        dl("2025-01-20", "暗访检查", "span", "dekad:2025-01:2", { start: "2025-01-11" }),
        dl(wd("2025-02-04", 5), "工作总结", "within", "workdays:2025-02-04+5"),
      ],
      actions: [
        act("各省辖市局", "确定节日期间值班人员名单", "2024-12-27"),
        act("各寄递企业河南省分公司", "向社会公告春节期间服务安排", "2025-01-10"),
        act("各省辖市局", "报送当日值班情况", "2025-01-28"),
        act("省局", "组织开展暗访检查", "2025-01-20"),
        act("各省辖市局", "将工作总结报省局市场监管处", wd("2025-02-04", 5)),
      ],
    },
  },
  {
    id: "t07",
    file: "extract-test/t07-bolanhui.txt",
    ref: "2024-09-23",
    kinds: ["event-relative", "background-last-year"],
    gold: {
      deadlines: [
        dl("2024-09-30", "参展人员名单", "before", "date:2024-09-30"),
        dl("2024-10-10", "展馆周边网点安全检查", "before", "date:2024-10-10"),
        dl(wd("2024-10-17", 5), "参展总结", "within", "workdays:2024-10-17+5"),
      ],
      actions: [
        act("各参展企业", "将参展人员名单报省局办公室", "2024-09-30"),
        act("成都市局", "完成展馆周边网点安全检查", "2024-10-10"),
        act("省局", "实行每日调度"),
        act("各参展企业", "将参展总结报省局办公室", wd("2024-10-17", 5)),
      ],
    },
  },
  {
    id: "t08",
    file: "extract-test/t08-guoqing-jiaqi.txt",
    ref: "2024-09-25",
    kinds: ["holiday-relative", "recurrence", "background-makeup-days"],
    gold: {
      deadlines: [
        dl(A("2024-09-25", 3), "假期值班表", "within", "days:2024-09-25+3"),
        dl(nextwd("2024-10-07"), "假期业务量统计", "before", "nextworkday:2024-10-07", { time: "12:00" }),
        dl("2024-10-11", "安全检查进展", "recurring", "weekly:FR:2024-10-08", {
          recurrence: "FREQ=WEEKLY;BYDAY=FR",
          until: "2024-10-31",
        }),
        dl("2024-10-31", "检查总结", "before", "date:2024-10-31"),
      ],
      actions: [
        act("各区局", "报送假期值班表", A("2024-09-25", 3)),
        act("各寄递企业", "报送假期业务量统计", nextwd("2024-10-07")),
        act("各区局", "报送安全检查进展", "2024-10-11"),
        act("各区局", "将检查总结报市局", "2024-10-31"),
      ],
    },
  },
];
// checks: every item/action/owner occurs in the notice; owner in the same sentence as the action
for (const r of rows) {
  const t = readFileSync("evals/" + r.file, "utf8");
  for (const d of r.gold.deadlines) if (!t.includes(d.item)) console.error("ITEM?", r.id, d.item);
  for (const a of r.gold.actions) {
    if (!t.includes(a.action)) console.error("ACTION?", r.id, a.action);
    const s = t.split(/[。；\n]/).find((x) => x.includes(a.action));
    if (!s?.includes(a.owner)) console.error("OWNER?", r.id, a.owner, a.action);
  }
}
for (const r of rows) process.stdout.write(JSON.stringify(r) + "\n");
console.error(rows.map((r) => r.gold.deadlines.map((d) => d.end).join(",")).join("\n"));
