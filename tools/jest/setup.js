// inversify's decorators read design-time metadata through the Reflect API.
import 'reflect-metadata';
