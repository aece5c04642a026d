import { describe, expect, it } from "vitest";
import { applyScope, provinceOfDoc, provincesNamed } from "./scope.js";

const reg = (title: string) => ({ title, kind: "regulation" as const });

describe("territorial scope", () => {
  it("finds the provinces a question names, by province, city or district, longest name first", () => {
    expect(provincesNamed("宁波快递小哥不戴头盔").map((p) => p.name)).toEqual(["浙江省"]);
    expect(provincesNamed("浦东那边的网点").map((p) => p.name)).toEqual(["上海市"]);
    expect(provincesNamed("山东和河南分别要求多少天").map((p) => p.name)).toEqual(["山东省", "河南省"]);
    expect(provincesNamed("天津河北区的快递").map((p) => p.name)).toEqual(["天津市"]);
    expect(provincesNamed("快递企业停业要提前几天公告")).toEqual([]);
  });

  it("knows which province a regulation binds; national law and bulletins bind none here", () => {
    expect(provinceOfDoc(reg("上海市实施《中华人民共和国邮政法》办法"))?.name).toBe("上海市");
    expect(provinceOfDoc(reg("浙江省快递业促进条例"))?.name).toBe("浙江省");
    expect(provinceOfDoc(reg("中华人民共和国邮政法"))).toBeNull();
    expect(provinceOfDoc(reg("快递暂行条例"))).toBeNull();
    expect(provinceOfDoc({ title: "北京市邮政管理局召开会议", kind: "bulletin" })).toBeNull();
  });

  it("ranks the named province first, national law next, and drops other provinces' articles", () => {
    const docs: Record<string, ReturnType<typeof reg>> = {
      zj: reg("浙江省快递业促进条例"),
      sd: reg("山东省邮政条例"),
      nat: reg("快递暂行条例"),
    };
    const ranked = [
      { id: "sd", score: 10 },
      { id: "nat", score: 9 },
      { id: "zj", score: 7 },
    ];
    expect(applyScope(ranked, "温州的快递企业", (id) => docs[id]).map((h) => h.id)).toEqual(["zj", "nat"]);
    // no place named: provincial articles rank a little lower than national ones
    expect(applyScope(ranked, "快递企业", (id) => docs[id], { unnamedFactor: 0.5 }).map((h) => h.id)).toEqual([
      "nat",
      "sd",
      "zj",
    ]);
  });
});
