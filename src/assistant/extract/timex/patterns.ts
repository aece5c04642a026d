/** Regex fragments shared by the rules (text is already simplified, full-width digits folded to ASCII). */

/** Month number: 1–12 in digits or Chinese (十二, 正). */
export const MONTH = "(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])";
/** Day of month: 1–31. */
export const DAY =
  "(?:3[01]|[12][0-9]|0?[1-9]|三十[一]?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])";
/** A year: four or two digits (Arabic or Chinese), or a year relative to the issue date. */
export const YEAR_NUM =
  "(?:(?:19|20)[0-9]{2}|[一两]千零?(?:[一二三四五六七八九]?十)?[一二三四五六七八九]?|一千九百[一二三四五六七八九]?十?[一二三四五六七八九]?|[〇零○一二][〇零○一二三四五六七八九]{3}|[0-9]{2}|[〇零○][〇零○一二三四五六七八九]|[一二九][〇零○一二三四五六七八九]|[三四五六七八][〇零○一二三四五六七八九](?=年(?:第|前[一二两三四五六七八九十0-9]|后[一二三四五六七八九十0-9]|首|[上下]半年|底|末|初|[0-9一二三四五六七八九十]+月)))";
export const YEAR_REL = "(?:大前|大后|上一|下一|今|明|去|本|次|翌|当|来|上|下|前|后|同)";
/** Capturing: (1) numeric year or (2) relative year word, followed by 年. */
export const YEAR = `(?:(${YEAR_NUM})|(${YEAR_REL}))年`;
/** Separators of a range. */
export const RANGE_SEP = "(?:[-—–~～－―]+|至|到)";
/** A count: digits or Chinese numerals (十五, 两, 半). */
/** Bounded runs, so that a long string of numerals costs linear time, not quadratic. */
export const COUNT = "(?:[0-9]{1,7}|[一二两三四五六七八九十百千万]{1,8}|半)";
/** Words for a part of the day in front of a clock time. */
export const AMPM = "上午|下午|晚上|中午|早上|早晨|清晨|凌晨|傍晚|晚间|夜里|夜间|半夜|深夜|午夜|午后|晚|早";
/**
 * A clock time: (1) am/pm word, (2) hour, (3) minutes after a colon, (4) minutes after 时/点 (with or without 分:
 * 9点20, 九点零九), (5) 半 or N刻 (一刻 = 15 minutes).
 */
export const TIME = `(?:(${AMPM})?\\s*([01]?[0-9]|2[0-4]|零|[一二三四五六七八九十]{1,3})(?:[:：]([0-5][0-9])|[时点](?:钟)?(?:([0-5]?[0-9]|[零〇][一二三四五六七八九]|[一二三四五]?十[一二三四五六七八九]?|[一二三四五六七八九])(?:分(?:[0-5]?[0-9]秒)?)?(?![0-9钟秒]|[个天日号年月])|(半|[一二三1-3]刻(?:钟)?))?(?:多钟|多|钟|整)?)(?![间候期代刻效段]))`;

/** Relative year word → offset from the issue year. */
export function relativeYear(word: string): number {
  switch (word) {
    case "明":
    case "次":
    case "翌":
    case "来":
    case "下":
    case "下一":
      return 1;
    case "去":
    case "上":
    case "上一":
      return -1;
    case "前":
      return -2;
    case "后":
      return 2;
    case "大前":
      return -3;
    case "大后":
      return 3;
    default:
      return 0;
  }
}
