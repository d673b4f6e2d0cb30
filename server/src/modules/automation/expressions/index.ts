/**
 * The expression language of process conditions and templates (docs/expressions.md): parsed by
 * jsep into a tree, evaluated by our own interpreter over plain data, with no access to anything
 * but the scope's own fields and the functions listed in functions.ts.
 */
export { ExpressionError } from './errors';
export { parseExpression, MAX_DEPTH, MAX_EXPRESSION_LENGTH, type Expr } from './syntax';
export {
  parseTemplate,
  renderTemplate,
  templateValue,
  MAX_TEMPLATE_LENGTH,
  type Template,
} from './template';
export { evaluate, isTruthy, MAX_STEPS, type Scope } from './evaluate';
export {
  checkPaths,
  checkSource,
  metadataChecker,
  referencedPaths,
  type PathChecker,
  type PathProblem,
} from './paths';
export { loadScope } from './load-scope';
export { functionNames } from './functions';
