import { buildContainer } from '../di/container-builder.js';
import { asServiceId, TOKENS } from '../di/tokens.js';
import { validateManifest } from './manifest-validation.js';

const HR = 'urn:example:params:scim:schemas:extension:hr:2.0:User';
const types = () => buildContainer({ plugins: [] }).get(asServiceId(TOKENS.ConnectorTypeRegistry));
const problemsOf = (schemas: unknown) => {
  const result = validateManifest({ inbound: { scim: { schemas } } }, types());
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('inbound.scim.schemas in the manifest', () => {
  it('defaults to no extensions, strict, no built-ins; accepts an RFC 7643 schema document as it is', () => {
    const empty = validateManifest({}, types());
    expect(empty.ok && empty.manifest.inbound.scim.schemas).toEqual({ builtIn: [], lenient: false, extensions: [] });
    const rfc = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
      id: HR,
      name: 'HR',
      description: 'HR data',
      attributes: [
        {
          name: 'costCenter',
          type: 'string',
          multiValued: false,
          required: true,
          caseExact: false,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'none',
        },
      ],
      meta: { resourceType: 'Schema', location: '/v2/Schemas/x' },
    };
    const result = validateManifest({ inbound: { scim: { schemas: { builtIn: ['wso2'], extensions: [rfc] } } } }, types());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.manifest.inbound.scim.schemas.extensions[0]).toMatchObject({ id: HR, attachTo: 'User', required: false });
  });

  it('reports each mistake at its exact path', () => {
    const problems = problemsOf({
      builtIn: ['okta'],
      extensions: [
        {
          id: HR,
          attributes: [
            { name: 'costCenter', type: 'text' },
            { name: 'CostCenter' },
            { name: 'address', type: 'complex' },
            { name: 'flag', type: 'boolean', subAttributes: [{ name: 'x' }] },
          ],
        },
        { id: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', attributes: [{ name: 'x' }] },
        { id: 'not-a-urn', attributes: [{ name: 'x' }] },
        { id: HR.toUpperCase(), attributes: [{ name: 'x' }] },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^inbound\.scim\.schemas\.builtIn\[0\]: /),
        expect.stringMatching(/^inbound\.scim\.schemas\.extensions\[0\]\.attributes\[0\]\.type: /),
        expect.stringMatching(/^inbound\.scim\.schemas\.extensions\[1\]\.id: is a core or enterprise schema/),
        expect.stringMatching(/^inbound\.scim\.schemas\.extensions\[2\]\.id: must be a URN/),
      ]),
    );
    // Refinements run once the shapes are right: duplicates and subAttributes.
    expect(
      problemsOf({
        extensions: [
          {
            id: HR,
            attributes: [
              { name: 'costCenter' },
              { name: 'CostCenter' },
              { name: 'address', type: 'complex' },
              { name: 'flag', subAttributes: [{ name: 'x' }] },
            ],
          },
          { id: HR.toUpperCase(), attributes: [{ name: 'x' }] },
        ],
      }),
    ).toEqual([
      'inbound.scim.schemas.extensions[0].attributes[1].name: duplicates attributes[0] ("CostCenter")',
      'inbound.scim.schemas.extensions[0].attributes[2].subAttributes: a complex attribute needs subAttributes',
      'inbound.scim.schemas.extensions[0].attributes[3].subAttributes: only complex attributes have subAttributes',
      'inbound.scim.schemas.extensions[1].id: duplicates extensions[0]',
    ]);
  });
});
