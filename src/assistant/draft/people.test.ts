import { describe, expect, it } from "vitest";
import { findNameMentions, namesInList, parsePerson } from "./people.js";

describe("parsePerson", () => {
  it.each([
    ["国家邮政局局长马军胜", { name: "马军胜", title: "国家邮政局局长" }],
    ["副局长刘君", { name: "刘君", title: "副局长" }],
    ["刘君副局长", { name: "刘君", title: "副局长" }],
    ["马军胜局长", { name: "马军胜", title: "局长" }],
    ["刘君（国家邮政局副局长）", { name: "刘君", title: "国家邮政局副局长" }],
    ["马军胜，国家邮政局局长", { name: "马军胜", title: "国家邮政局局长" }],
    ["刘君", { name: "刘君", title: "" }],
    ["欧阳明", { name: "欧阳明", title: "" }],
    ["王局长", { name: "王局长", title: "" }],
    ["张副局长", { name: "张副局长", title: "" }],
  ])("%s", (value, expected) => {
    expect(parsePerson(value)).toEqual(expected);
  });

  it("returns null for what is not a person", () => {
    expect(parsePerson("国家邮政局")).toBeNull();
    expect(parsePerson("会议")).toBeNull();
    expect(parsePerson("各省邮政管理局负责人")).toBeNull();
  });
});

describe("names in text", () => {
  it("splits a list of leaders", () => {
    expect(namesInList("局领导王梅、赵晓光、邢小江")).toEqual(["王梅", "赵晓光", "邢小江"]);
  });

  it("finds names next to titles and speech verbs, not ordinary words", () => {
    const m = findNameMentions("国家邮政局局长马军胜出席会议并讲话。会议由刘君主持。会议强调，安全第一。");
    expect(m.map((x) => x.candidates)).toEqual([["马军胜"], ["刘君"]]);
  });
});
