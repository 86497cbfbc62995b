/**
 * Ukrainian (and Russian) typed in Latin letters, read back into the folded Cyrillic the word lists hold: "vin
 * xapaje mene za shyju" is "він хапає мене за шию". Writers do not agree on a scheme ("x", "kh" or "h" for х; "ja",
 * "ya" or "ia" for я; "y" or "i" for и and і), so each letter group maps to the folded form every scheme shares: і, ї,
 * и, й are all "и" once folded (fold-text.ts), є is "е", the soft sign is dropped.
 *
 * Longest groups first. "h" is г (Ukrainian), as in "nastupnoho"; "x" and "kh" are х.
 */
const GROUPS: readonly (readonly [string, string])[] = [
  ["shch", "щ"],
  ["sch", "щ"],
  ["zh", "ж"],
  ["kh", "х"],
  ["ch", "ч"],
  ["sh", "ш"],
  ["ts", "ц"],
  ["ya", "я"],
  ["ja", "я"],
  ["ia", "я"],
  ["yu", "ю"],
  ["ju", "ю"],
  ["iu", "ю"],
  ["ye", "е"],
  ["je", "е"],
  ["ie", "е"],
  ["yi", "и"],
  ["ji", "и"],
  ["yo", "ио"],
  ["jo", "ио"],
  ["a", "а"],
  ["b", "б"],
  ["c", "ц"],
  ["d", "д"],
  ["e", "е"],
  ["f", "ф"],
  ["g", "г"],
  ["h", "г"],
  ["i", "и"],
  ["j", "и"],
  ["k", "к"],
  ["l", "л"],
  ["m", "м"],
  ["n", "н"],
  ["o", "о"],
  ["p", "п"],
  ["q", "к"],
  ["r", "р"],
  ["s", "с"],
  ["t", "т"],
  ["u", "у"],
  ["v", "в"],
  ["w", "в"],
  ["x", "х"],
  ["y", "и"],
  ["z", "з"],
];

const LATIN_WORD = /^[a-z]{2,}$/u;

/** The folded Cyrillic a Latin-letter word stands for, or undefined when it is not a word of Latin letters alone. */
export function cyrillicReading(word: string): string | undefined {
  if (!LATIN_WORD.test(word)) return undefined;
  let out = "";
  let i = 0;
  while (i < word.length) {
    const group = GROUPS.find(([latin]) => word.startsWith(latin, i))!;
    out += group[1];
    i += group[0].length;
  }
  return out;
}
