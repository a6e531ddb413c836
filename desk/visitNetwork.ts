/**
 * The service network a service lead edits — service points (desk/data/servicePoints.yaml) and
 * engineers (desk/data/engineers.yaml) — checked at start with file:line errors, like the catalogue.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { YamlSource, type FieldPath, type SourceProblem } from '../common/yamlSource';
import { CatalogueError } from './catalogue';
import { deskDataFile } from './dataFiles';
import type { DistrictDirectory } from './districts';
import { engineersFileSchema, overlappingShift, readShift, readWeekdays, type Engineer, type Shift } from './engineers';
import { HALF_DAY_WINDOWS, type HalfDay } from '../common/halfDays';
import type { Area } from './model';
import { readOpeningHours, servicePointsFileSchema, type ServicePoint } from './servicePoints';

/** A data file a service lead got wrong: `engineers.yaml:14 engineers[3].servicePoint: unknown service point "sp-x"`. */
export class VisitNetworkError extends CatalogueError {
  constructor(file: string, problems: SourceProblem[]) {
    super(file, problems);
    this.name = 'VisitNetworkError';
  }
}

export interface VisitNetworkSources {
  servicePoints: { name: string; text: string };
  engineers: { name: string; text: string };
}

export interface NetworkContext {
  districts: DistrictDirectory;
  /** Product families the catalogue knows (category ids). */
  families: readonly string[];
}

export class VisitNetwork {
  private constructor(
    private readonly points: readonly ServicePoint[],
    private readonly people: readonly Engineer[],
  ) {}

  static fromYaml(sources: VisitNetworkSources, context: NetworkContext): VisitNetwork {
    const points = readServicePoints(sources.servicePoints.name, sources.servicePoints.text, context);
    const people = readEngineers(sources.engineers.name, sources.engineers.text, points);
    return new VisitNetwork(points, people);
  }

  static fromFiles(servicePointsFile: string, engineersFile: string, context: NetworkContext): VisitNetwork {
    return VisitNetwork.fromYaml(
      {
        servicePoints: { name: path.basename(servicePointsFile), text: readFileSync(servicePointsFile, 'utf8') },
        engineers: { name: path.basename(engineersFile), text: readFileSync(engineersFile, 'utf8') },
      },
      context,
    );
  }

  /** The shipped data, desk/data/servicePoints.yaml and engineers.yaml. */
  static default(context: NetworkContext): VisitNetwork {
    return VisitNetwork.fromFiles(deskDataFile('servicePoints.yaml'), deskDataFile('engineers.yaml'), context);
  }

  servicePoints(): readonly ServicePoint[] {
    return this.points;
  }

  servicePoint(id: string): ServicePoint | undefined {
    return this.points.find((point) => point.id === id);
  }

  engineers(): readonly Engineer[] {
    return this.people;
  }

  engineer(id: string): Engineer | undefined {
    return this.people.find((person) => person.id === id);
  }

  /** The service point covering a district (one at most: the loader refuses two), with its area. */
  coverOf(districtCode: string): { servicePoint: ServicePoint; area: Area } | undefined {
    for (const servicePoint of this.points) {
      const covered = servicePoint.districts.find((d) => d.code === districtCode);
      if (covered) return { servicePoint, area: covered.area };
    }
    return undefined;
  }

  /** Engineers who repair `family` at the service point covering the district, in data order. */
  engineersFor(family: string, districtCode: string): Engineer[] {
    const cover = this.coverOf(districtCode);
    if (!cover || !cover.servicePoint.families.includes(family)) return [];
    return this.people.filter((person) => person.servicePointId === cover.servicePoint.id && person.families.includes(family));
  }
}

/** True when one of the engineer's shifts covers the whole half-day on that ISO weekday. */
export function worksHalfDay(engineer: Engineer, isoWeekday: number, halfDay: HalfDay): boolean {
  if (!engineer.workingDays.includes(isoWeekday)) return false;
  const window = HALF_DAY_WINDOWS[halfDay];
  return engineer.shifts.some((shift) => shift.start <= window.start && shift.end >= window.end);
}

type Problems = [FieldPath, string][];

function readServicePoints(name: string, text: string, context: NetworkContext): ServicePoint[] {
  const yaml = new YamlSource(name, text);
  const parsed = yaml.parse(servicePointsFileSchema);
  if (!parsed.ok) throw new VisitNetworkError(name, parsed.problems);
  const problems: Problems = [];
  const coveredBy = new Map<string, string>();
  const seen = new Set<string>();
  const points = parsed.value.servicePoints.map((entry, index): ServicePoint => {
    const at = (...rest: (string | number)[]): FieldPath => ['servicePoints', index, ...rest];
    if (seen.has(entry.id)) problems.push([at('id'), `service point "${entry.id}" is listed twice`]);
    seen.add(entry.id);
    const hours = readOpeningHours(entry.openingHours);
    if (typeof hours === 'string') problems.push([at('openingHours'), hours]);
    const districts = Object.entries(entry.districts).flatMap(([districtName, area]) => {
      const district = context.districts.byName(districtName);
      if (!district || district.name !== districtName) {
        const hint = district
          ? ` (write its official name "${district.name}")`
          : ` (${context.districts.province} has ${context.districts
              .districts()
              .map((d) => d.name)
              .join(' ')})`;
        problems.push([at('districts', districtName), `"${districtName}" is not a district of ${context.districts.province}${hint}`]);
        return [];
      }
      const other = coveredBy.get(district.code);
      if (other)
        problems.push([at('districts', districtName), `${district.name} is already covered by ${other}; one service point per district`]);
      coveredBy.set(district.code, entry.id);
      return [{ code: district.code, name: district.name, area }];
    });
    entry.families.forEach((family, i) => {
      if (!context.families.includes(family))
        problems.push([at('families', i), `unknown product family "${family}" (the catalogue has ${context.families.join(', ')})`]);
    });
    return {
      id: entry.id,
      name: entry.name,
      address: entry.address,
      phone: entry.phone,
      openingHours: typeof hours === 'string' ? { timeZone: 'Asia/Shanghai', start: '09:00', end: '18:00', days: [] } : hours,
      districts,
      families: entry.families,
      carryIn: entry.carryIn,
      mailInAddress: entry.mailInAddress,
    };
  });
  if (problems.length)
    throw new VisitNetworkError(
      name,
      problems.map(([p, reason]) => yaml.problem(p, reason)),
    );
  return points;
}

function readEngineers(name: string, text: string, points: readonly ServicePoint[]): Engineer[] {
  const yaml = new YamlSource(name, text);
  const parsed = yaml.parse(engineersFileSchema);
  if (!parsed.ok) throw new VisitNetworkError(name, parsed.problems);
  const problems: Problems = [];
  const seen = new Set<string>();
  const people = parsed.value.engineers.map((entry, index): Engineer => {
    const at = (...rest: (string | number)[]): FieldPath => ['engineers', index, ...rest];
    if (seen.has(entry.id)) problems.push([at('id'), `engineer "${entry.id}" is listed twice`]);
    seen.add(entry.id);
    const point = points.find((p) => p.id === entry.servicePoint);
    if (!point)
      problems.push([
        at('servicePoint'),
        `unknown service point "${entry.servicePoint}" (servicePoints.yaml has ${points.map((p) => p.id).join(', ')})`,
      ]);
    entry.families.forEach((family, i) => {
      if (point && !point.families.includes(family))
        problems.push([at('families', i), `${point.id} does not repair "${family}" (it repairs ${point.families.join(', ')})`]);
    });
    const days = readWeekdays(entry.workingDays);
    if (typeof days === 'string') problems.push([at('workingDays'), days]);
    const shifts: Shift[] = [];
    entry.shifts.forEach((spec, i) => {
      const shift = readShift(spec);
      if (typeof shift === 'string') problems.push([at('shifts', i), shift]);
      else shifts.push(shift);
    });
    const overlap = overlappingShift(shifts);
    if (overlap !== undefined && shifts.length === entry.shifts.length)
      problems.push([at('shifts', overlap), `shift "${entry.shifts[overlap]}" overlaps an earlier one`]);
    return {
      id: entry.id,
      name: entry.name,
      servicePointId: entry.servicePoint,
      families: entry.families,
      workingDays: typeof days === 'string' ? [] : days,
      shifts,
      visitsPerHalfDay: entry.visitsPerHalfDay,
    };
  });
  if (problems.length)
    throw new VisitNetworkError(
      name,
      problems.map(([p, reason]) => yaml.problem(p, reason)),
    );
  return people;
}
