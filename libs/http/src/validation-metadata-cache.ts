import { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type Lookup = MetadataStorage['getTargetValidationMetadatas'];
type ValidationMetadata = ReturnType<Lookup>[number];
type TargetClass = Parameters<Lookup>[0];

const CACHED = Symbol('validation metadata lookups cached');

/**
 * class-validator looks up a DTO's rules at every validation by testing every decorated class in
 * the process for an ancestor of the DTO (typestack/class-validator#2686): over a hundred classes
 * here, at every request whose body or query is a DTO, almost a hundredth of a case command's
 * profile (round 28). A class's rules are complete once the class is defined (its decorators run
 * then), and a class defined later is never an ancestor of one defined before it, so the answer
 * for a class and the same arguments never changes: it is kept after the first ask. Rules added to
 * a class after it is defined (registerSchema, or registerDecorator called at run time rather than
 * by a decorator) would break that; nothing here adds any.
 *
 * Once per process: the storage is class-validator's global one, shared by every app in it.
 */
export function cacheValidationMetadataLookups(storage: MetadataStorage = getMetadataStorage()): void {
  const marked = storage as MetadataStorage & { [CACHED]?: true };
  if (marked[CACHED]) return;
  marked[CACHED] = true;
  const lookUp: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const answers = new WeakMap<TargetClass, Map<string, ValidationMetadata[]>>();
  storage.getTargetValidationMetadatas = (targetConstructor, targetSchema, always, strictGroups, groups) => {
    // Validation against a named schema has no class to key on (none is used here).
    if (typeof targetConstructor !== 'function') return lookUp(targetConstructor, targetSchema, always, strictGroups, groups);
    const key = JSON.stringify([targetSchema, always, strictGroups, groups ?? null]);
    let byArguments = answers.get(targetConstructor);
    if (!byArguments) answers.set(targetConstructor, (byArguments = new Map<string, ValidationMetadata[]>()));
    let answer = byArguments.get(key);
    if (!answer) byArguments.set(key, (answer = lookUp(targetConstructor, targetSchema, always, strictGroups, groups)));
    return answer;
  };
}
