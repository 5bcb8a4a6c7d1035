/** The fixed catalogue of the Fibrelink demo: where it serves, what it sells, who answers. */

export type AreaDef = { code: string; name: string; region: string; town: string; postcodes: [number, number]; streets: string[]; weight: number };

export const areas: AreaDef[] = [
  { code: 'AMS-N', name: 'Amsterdam-Noord', region: 'Noord-Holland', town: 'Amsterdam', postcodes: [1021, 1035], weight: 16,
    streets: ['Buikslotermeerplein', 'Van der Pekstraat', 'Mosplein', 'Kamperfoelieweg', 'Nieuwendammerdijk', 'Waterlandplein', 'Meeuwenlaan'] },
  { code: 'AMS-W', name: 'Amsterdam-West', region: 'Noord-Holland', town: 'Amsterdam', postcodes: [1051, 1069], weight: 18,
    streets: ['Jan Evertsenstraat', 'Postjesweg', 'Admiraal de Ruijterweg', 'Bos en Lommerweg', 'Kinkerstraat', 'Hoofdweg', 'Witte de Withstraat'] },
  { code: 'UTR-O', name: 'Utrecht-Oost', region: 'Utrecht', town: 'Utrecht', postcodes: [3581, 3585], weight: 14,
    streets: ['Biltstraat', 'Burgemeester Reigerstraat', 'Oudwijk', 'Prins Hendriklaan', 'Wittevrouwensingel', 'Koningsweg', 'Adelaarstraat'] },
  { code: 'HLM-C', name: 'Haarlem Centrum', region: 'Noord-Holland', town: 'Haarlem', postcodes: [2011, 2037], weight: 12,
    streets: ['Grote Houtstraat', 'Zijlweg', 'Kleverparkweg', 'Rijksstraatweg', 'Generaal Cronjéstraat', 'Kruisweg', 'Leidsevaart'] },
  { code: 'ZAA-C', name: 'Zaandam', region: 'Noord-Holland', town: 'Zaandam', postcodes: [1501, 1509], weight: 9,
    streets: ['Westzijde', 'Oostzijde', 'Gedempte Gracht', 'Peperstraat', 'Rosmolenstraat', 'Vincent van Goghweg'] },
  { code: 'AMF-C', name: 'Amersfoort', region: 'Utrecht', town: 'Amersfoort', postcodes: [3811, 3829], weight: 10,
    streets: ['Arnhemseweg', 'Leusderweg', 'Utrechtseweg', 'Kersenbaan', 'Hogeweg', 'Vondellaan'] },
  { code: 'ALM-S', name: 'Almere Stad', region: 'Flevoland', town: 'Almere', postcodes: [1311, 1336], weight: 11,
    streets: ['Spoordreef', 'Hospitaaldreef', 'Olympiaweg', 'Grote Markt', 'Landdrostdreef', 'Randstad 21'] },
  { code: 'LEI-C', name: 'Leiden', region: 'Zuid-Holland', town: 'Leiden', postcodes: [2311, 2334], weight: 10,
    streets: ['Breestraat', 'Haarlemmerstraat', 'Rapenburg', 'Hooigracht', 'Morsweg', 'Hoge Rijndijk', 'Lammenschansweg'] },
];

export type PlanDef = { code: string; name: string; priceCents: number; down: number; up: number; capGb: number | null; active: boolean; weight: number; dailyGb: [number, number] };

export const plans: PlanDef[] = [
  { code: 'BASIC-50', name: 'Basic 50', priceCents: 3500, down: 50, up: 50, capGb: 250, active: true, weight: 15, dailyGb: [3.5, 7.2] },
  { code: 'FIBRE-100', name: 'Fibre 100', priceCents: 4500, down: 100, up: 100, capGb: null, active: true, weight: 24, dailyGb: [4, 14] },
  { code: 'FIBRE-500', name: 'Fibre 500', priceCents: 5500, down: 500, up: 500, capGb: null, active: true, weight: 36, dailyGb: [7, 28] },
  { code: 'FIBRE-1000', name: 'Fibre 1000', priceCents: 6500, down: 1000, up: 1000, capGb: null, active: true, weight: 17, dailyGb: [10, 45] },
  { code: 'FIBRE-4000', name: 'Fibre 4000', priceCents: 8500, down: 4000, up: 4000, capGb: null, active: true, weight: 4, dailyGb: [20, 80] },
  { code: 'FIBRE-200-LEGACY', name: 'Fibre 200 (legacy)', priceCents: 4900, down: 200, up: 200, capGb: null, active: false, weight: 4, dailyGb: [5, 20] },
];
/** Capped-plan usage beyond the cap, per started GB. */
export const overagePerGbCents = 200;
export const lateFeeCents = 500;

export type Skill = 'billing' | 'technical' | 'moving' | 'retention' | 'dutch' | 'english';
export type AgentDef = { email: string; name: string; role: 'admin' | 'supervisor' | 'agent'; skills: Skill[] };

/** The first three are the documented demo logins; every agent's password is "demo". */
export const agents: AgentDef[] = [
  { email: 'admin@fibrelink.test', name: 'Femke Jansen', role: 'admin', skills: [] },
  { email: 'supervisor@fibrelink.test', name: 'Daan Visser', role: 'supervisor', skills: ['technical', 'retention', 'dutch', 'english'] },
  { email: 'agent@fibrelink.test', name: 'Sanne de Boer', role: 'agent', skills: ['billing', 'technical', 'dutch', 'english'] },
  { email: 'lotte.bakker@fibrelink.test', name: 'Lotte Bakker', role: 'agent', skills: ['billing', 'dutch', 'english'] },
  { email: 'mehmet.yilmaz@fibrelink.test', name: 'Mehmet Yılmaz', role: 'agent', skills: ['technical', 'dutch', 'english'] },
  { email: 'tom.hendriks@fibrelink.test', name: 'Tom Hendriks', role: 'agent', skills: ['technical', 'moving', 'english'] },
  { email: 'priya.sharma@fibrelink.test', name: 'Priya Sharma', role: 'agent', skills: ['retention', 'billing', 'english'] },
  { email: 'jan.mulder@fibrelink.test', name: 'Jan Mulder', role: 'agent', skills: ['retention', 'moving', 'dutch'] },
  { email: 'emma.clarke@fibrelink.test', name: 'Emma Clarke', role: 'agent', skills: ['technical', 'english'] },
];

/** Teams by name, members as indexes into agents. */
export const teams: { name: string; members: number[] }[] = [
  { name: 'Billing', members: [2, 3, 6] },
  { name: 'Technical', members: [1, 2, 4, 5, 8] },
  { name: 'Retention', members: [1, 6, 7] },
];

export const routers = ['FRITZ!Box 7590', 'FRITZ!Box 5590 Fiber', 'Zyxel EX5601', 'Nokia Beacon 6', 'Genexis Pure F110'];
export const outageCauses = [
  'a fibre cable cut by groundworks', 'a power failure in the local distribution cabinet', 'a faulty line card in our exchange',
  'planned maintenance that overran', 'a damaged splice box after a storm', 'a software fault on a core switch',
];
export const technicians = ['Kevin', 'Ricardo', 'Youssef', 'Marloes', 'Bart', 'Dennis', 'Ilse'];
