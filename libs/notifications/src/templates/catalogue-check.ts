import { allDefinitions, notifyTopicsOf } from '@app/domain';
import { CUSTOMER_TEMPLATES, engineCustomerTopics } from './catalogue';

/** Every topic that can be addressed to a customer: what the machines ask for, and what the engine itself sends. */
export function customerTopics(): string[] {
  const definitions = allDefinitions();
  const fromMachines = definitions.flatMap((definition) =>
    notifyTopicsOf(definition)
      .filter((params) => params.audience.includes('customer'))
      .map((params) => params.topic),
  );
  const kindsAskingCustomers = [...new Set(definitions.filter((definition) => 'infoReplyWindow' in definition.deadlines).map((definition) => definition.kind))];
  return [...new Set([...fromMachines, ...engineCustomerTopics(kindsAskingCustomers)])].sort();
}

/** Topics a customer could be sent with no template to say it: the processes refuse to start while any exist. */
export function missingCustomerTemplates(): string[] {
  return customerTopics().filter((topic) => !CUSTOMER_TEMPLATES[topic]);
}
