/**
 * A translation of an English message set: it must carry every key the English one has, so a
 * missing Ukrainian label is a type error. Languages with more plural forms than English add
 * their own suffixed keys (`_few`, `_many`) beside the English ones (`_one`, `_other`).
 */
export type Translation<T> = {
  [K in keyof T]: T[K] extends string ? string : Translation<T[K]>;
} & { [pluralForm: string]: unknown };
