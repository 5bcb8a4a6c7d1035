export { IncidentsPage } from './incidents-page.tsx';
