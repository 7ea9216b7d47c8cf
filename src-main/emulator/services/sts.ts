import type { EmulatedService } from './service';
import { QueryError, sendQueryResult, xmlFields } from './query-protocol';

/**
 * STS over the query protocol: GetCallerIdentity answers the scenario's identity, as AWS answers it for the
 * credentials that signed the request. Credentials the emulator treats as expired get AWS's ExpiredToken.
 */

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export const stsService: EmulatedService = {
  signingName: 'sts',
  protocol: 'query',
  async answer({ response, operation, accessKeyId, scenario, requestId }) {
    if (accessKeyId.startsWith('ASIAEXPIRED')) throw new QueryError(403, 'ExpiredToken', 'The security token included in the request is expired');
    if (operation !== 'GetCallerIdentity') throw new QueryError(400, 'InvalidAction', `Could not find operation ${operation} for version 2011-06-15`);
    const { account, arn, userId } = scenario.identity;
    sendQueryResult(response, operation, NAMESPACE, xmlFields({ Arn: arn, UserId: userId, Account: account }), requestId);
  },
};
