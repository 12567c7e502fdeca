// Issue 18's custom User extension as the manifest declares it: a required string, a
// `uniqueness: server` integer and a multi-valued complex attribute.
export const HR_EXTENSION = 'urn:example:params:scim:schemas:extension:hr:2.0:User';

/** The `inbound.scim.schemas` block, indented under `scim:`; `required`: every user must carry the extension. */
export function hrExtensionYaml({ required }: { required: boolean }): string {
  return `    schemas:
      extensions:
        - id: ${HR_EXTENSION}
          name: HR
${required ? '          required: true\n' : ''}          attributes:
            - { name: costCenter, required: true }
            - { name: employeeNumber, type: integer, uniqueness: server }
            - name: assignments
              type: complex
              multiValued: true
              subAttributes: [{ name: value }, { name: type }]
`;
}
