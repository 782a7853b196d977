import { getClassMetadata } from '@inversifyjs/core';
import { classElementDependency, type Dependency, type Provider } from './provider.js';

/** What a dependency resolves to: the instance behind its token, undefined for an optional one nothing provides. */
export type Resolve = (dependency: Dependency) => unknown;

/**
 * Builds the one instance of `provider` from the instances already built (`resolve`): a value
 * as it is, a factory called with its `deps`, a class constructed with its constructor
 * parameters' `@inject` tokens in order, then its property `@inject`s set and its
 * `@postConstruct` methods called, as inversify's container does for a singleton.
 *
 * Why not inversify's container: the plan (graph/plan.ts) has already read these declarations,
 * checked them and put the components in start order, every dependency first; resolving them
 * again through inversify's planner cost `agentkit exec` ~10 ms of CPU at every start (its
 * planner's code compiled and run once, for ~30 singletons; docs/benchmarks.md, "Lean start").
 * Throws what the constructor, a `@postConstruct` method or the factory throws.
 */
export function constructProvider(provider: Provider, resolve: Resolve): unknown {
  switch (provider.kind) {
    case 'value':
      return provider.useValue;
    case 'factory':
      return provider.useFactory(...provider.deps.map(resolve));
    case 'class': {
      const cls = provider.useClass;
      // The same metadata the plan read, here split into parameters and properties.
      const metadata = getClassMetadata(cls);
      const dependency = (element: Parameters<typeof classElementDependency>[2]): unknown => resolve(classElementDependency(provider.token, cls, element));
      const instance = new cls(...metadata.constructorArguments.map(dependency)) as Record<string | symbol, unknown>;
      for (const [key, element] of metadata.properties) instance[key] = dependency(element);
      for (const name of metadata.lifecycle.postConstructMethodNames) (instance[name] as () => unknown).call(instance);
      return instance;
    }
  }
}
