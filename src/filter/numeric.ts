/**
 * Numeric matching as EventBridge does it. Lambda's operator table only says
 * `{"numeric": ["=", 100]}` and `{"numeric": [">", 10, "<=", 20]}`
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax) and
 * defers to EventBridge for the rest; EventBridge: "Numeric matching only works with values that are
 * JSON numbers", limited to a fixed range "with 15 digits of precision, or six digits to the right of
 * the decimal point" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html).
 *
 * The range is ±5.0e9: that is what aws/event-ruler (the EventBridge matching library) enforces in
 * `ComparableNumber` and states in its README; older EventBridge pages said ±1.0e9. Values are compared
 * the way event-ruler does: `trunc(1e6 × (5e9 + x))`, so digits past the sixth decimal are ignored.
 */

/** Largest magnitude `numeric` accepts (event-ruler `Constants.FIVE_BILLION`). */
export const NUMERIC_LIMIT = 5e9;

/** True when `value` can take part in numeric matching. */
export function inNumericRange(value: number): boolean {
  return Number.isFinite(value) && value >= -NUMERIC_LIMIT && value <= NUMERIC_LIMIT;
}

/**
 * The comparable integer event-ruler derives from a number (`ComparableNumber.generate`):
 * shifted to be non-negative and scaled to six decimals, then truncated. The same double
 * arithmetic as Java, so the same values compare equal. Callers check {@link inNumericRange} first.
 */
export function toComparable(value: number): number {
  return Math.trunc(1e6 * (NUMERIC_LIMIT + value));
}
